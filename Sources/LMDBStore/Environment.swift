import CLMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An LMDB environment: one memory-mapped file holding named databases.
///
/// Opened with `MDB_NOTLS`, so read transactions are not tied to the thread that began
/// them, but a transaction must still be used by one thread at a time. Transactions are
/// scoped closures: `read` and `write` begin one, pass it to the body, and end it when the
/// body returns (commit) or throws (abort). Nothing read from the map may outlive the body.
///
/// The map grows by itself: when a write hits `MDB_MAP_FULL` the transaction is aborted,
/// the map doubled, and the write body **run again**. A write body must therefore only
/// touch the transaction (or state it rebuilds on each run). When another process has
/// grown the map, `MDB_MAP_RESIZED` is handled the same way, invisibly.
///
/// Do not call `write` from inside `read` or `write` on the same environment.
public final class Environment: @unchecked Sendable {
    public struct Options: Sendable {
        /// Initial map size in bytes; it grows on demand.
        public var mapSize: Int = 64 << 20
        /// Maximum number of named databases.
        public var maxDatabases: UInt32 = 16
        /// Maximum number of concurrent read transactions (threads and processes).
        public var maxReaders: UInt32 = 1024
        /// Open read-only: `write` then fails with EACCES.
        public var readOnly: Bool = false
        /// Create the directory if it does not exist.
        public var createDirectory: Bool = true
        public init() {}
    }

    public let path: String
    let handle: OpaquePointer
    let readOnly: Bool
    /// Readers and the writer hold it shared; changing the map size needs it exclusive,
    /// since LMDB forbids resizing while this process has a transaction open.
    /// (Allocated once the environment is open: an init that throws runs no deinit.)
    private let mapLock: UnsafeMutablePointer<pthread_rwlock_t>
    /// Serializes writers of this process (LMDB serializes across processes).
    private let writerLock: UnsafeMutablePointer<pthread_mutex_t>

    public init(path: String, options: Options = Options()) throws(LMDBError) {
        self.path = path
        self.readOnly = options.readOnly
        if options.createDirectory && !options.readOnly {
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw LMDBError(code: errno, operation: "create directory \(path)")
            }
        }
        // A truncated data.mdb would be mapped past its end and crash the process (SIGBUS) on
        // the first read: check its size against the last committed meta page first.
        try Self.checkDataFile(path + "/data.mdb")
        // LMDB trusts its pages: a zeroed or overwritten one aborts or crashes the process
        // (its IS_LEAF assertion, a wild pointer). Every page is walked first (`PageWalk`).
        if let damage = PageWalk.verify(path + "/data.mdb") {
            throw LMDBError(code: MDB_CORRUPTED, operation: "open \(path)/data.mdb", detail: "\(damage)")
        }
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: ENOMEM, operation: "mdb_env_create") }
        do {
            try check(mdb_env_set_maxdbs(env, options.maxDatabases), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(env, options.maxReaders), "mdb_env_set_maxreaders")
            try check(mdb_env_set_mapsize(env, max(options.mapSize, 1 << 16)), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            try check(mdb_env_open(env, path, flags, 0o644), "open LMDB environment at \(path)")
            // Reader slots of processes that died (SIGKILL, Ctrl-C) are freed, or they would
            // fill the table (MDB_READERS_FULL) and lock everyone out.
            var stale: Int32 = 0
            _ = mdb_reader_check(env, &stale)
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        mapLock = .allocate(capacity: 1)
        writerLock = .allocate(capacity: 1)
        pthread_rwlock_init(mapLock, nil)
        pthread_mutex_init(writerLock, nil)
    }

    /// Refuses a data file that cannot be opened safely: empty, shorter than its two meta
    /// pages, or shorter than the last page its newest valid meta page says was committed.
    /// (A file whose metas are not LMDB's is left to LMDB, which reports MDB_INVALID.)
    static func checkDataFile(_ file: String) throws(LMDBError) {
        var info = stat()
        guard stat(file, &info) == 0 else { return }           // a new environment
        let size = Int(info.st_size)
        let operation = "open \(file)"
        guard size > 0 else {
            throw LMDBError(code: MDB_CORRUPTED, operation: operation, detail: "the file is empty (0 bytes): it holds no index")
        }
        guard let (found, read) = MetaPage.read(file) else { return }   // LMDB reports the real error
        guard read >= 160 else {
            throw LMDBError(code: MDB_CORRUPTED, operation: operation, detail: "the file is truncated: \(size) bytes, shorter than LMDB's meta page")
        }
        guard let meta = found else { return }
        let pageSize = meta.pageSize, lastPage = meta.lastPage
        // LMDB may leave the last few pages of a commit unwritten (pages freed in the same
        // transaction, never read again): a file a little short is sound, so only a
        // shortfall beyond 16 pages or 1% of the file is taken for truncation (the ones seen:
        // a file cut to half its size). Smaller cuts are left to `check`'s page walk.
        let needed = (Int(exactly: lastPage) ?? Int.max / 2 - 1) &+ 1
        let slack = max(16, needed / 100)
        if size / pageSize + slack < needed {
            throw LMDBError(code: MDB_CORRUPTED, operation: operation,
                            detail: "the file is truncated: \(size) bytes, but its last commit reaches page \(lastPage) (\(needed * pageSize) bytes)")
        }
    }

    deinit {
        mdb_env_close(handle)
        pthread_rwlock_destroy(mapLock)
        pthread_mutex_destroy(writerLock)
        mapLock.deallocate()
        writerLock.deallocate()
    }

    /// Drops this process's resident pages of the map (they are read again from the page
    /// cache when touched): a long indexing run reads old segments while merging, and those
    /// pages would otherwise count in its memory until it ends. The map is read-only
    /// (writes go through LMDB's own buffers), so nothing is lost. LMDB does not say where
    /// its map is (`me_mapaddr` is only set for a fixed map), so it is found in
    /// `/proc/self/maps` by the data file's path (Linux; elsewhere nothing is done).
    public func releaseMappedPages() {
        guard let (address, length) = mappedRange() else { return }
        madvise(address, length, MADV_DONTNEED)
    }

    /// The address and length of this environment's map of `data.mdb`, from
    /// `/proc/self/maps`.
    func mappedRange() -> (UnsafeMutableRawPointer, Int)? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        let file = String(cString: real) + "/data.mdb"
        guard let stream = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(stream) }
        var buffer = [CChar](repeating: 0, count: 8192)
        while fgets(&buffer, Int32(buffer.count), stream) != nil {
            let line = String(cString: buffer).trimmingSuffix("\n")
            guard line.hasSuffix(" " + file) else { continue }
            let range = line.prefix { $0 != " " }.split(separator: "-")
            guard range.count == 2, let low = UInt(range[0], radix: 16), let high = UInt(range[1], radix: 16), high > low,
                  let address = UnsafeMutableRawPointer(bitPattern: low) else { continue }
            return (address, Int(high - low))
        }
        return nil
    }

    /// Returns the heap's free memory to the system (glibc's `malloc_trim`; a no-op
    /// elsewhere): after a large write, the freed buffers would otherwise stay resident.
    public static func releaseFreeHeapMemory() { fihris_release_free_heap() }

    /// The current size of the memory map in bytes.
    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }

    /// Bytes of the map in use (last used page × page size).
    public var usedBytes: Int {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(handle, &info)
        mdb_env_stat(handle, &stat)
        return (info.me_last_pgno + 1) * Int(stat.ms_psize)
    }

    /// Runs `body` in a read-only transaction over a consistent snapshot.
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        pthread_rwlock_rdlock(mapLock)
        defer { pthread_rwlock_unlock(mapLock) }
        let txn = try beginTransaction(flags: UInt32(MDB_RDONLY), holdingSharedLock: true)
        defer { mdb_txn_abort(txn) }
        return try body(ReadTransaction(handle: txn))
    }

    /// Runs `body` in a write transaction: commits when it returns, aborts when it throws.
    /// The body may run more than once (see the type's documentation).
    public func write<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        pthread_mutex_lock(writerLock)
        defer { pthread_mutex_unlock(writerLock) }
        while true {
            let state = WriteState()
            let outcome: Result<R, any Error>
            pthread_rwlock_rdlock(mapLock)
            do {
                defer { pthread_rwlock_unlock(mapLock) }
                let txn = try beginTransaction(flags: 0, holdingSharedLock: true)
                let value: R
                do {
                    value = try body(WriteTransaction(handle: txn, state: state))
                } catch {
                    mdb_txn_abort(txn)
                    throw error
                }
                if state.mapFull {
                    mdb_txn_abort(txn)
                    throw LMDBError(code: MDB_MAP_FULL, operation: "write")
                }
                // mdb_txn_commit frees the transaction whether or not it succeeds.
                let rc = mdb_txn_commit(txn)
                if rc == EIO || rc == ENOSPC, let full = spaceProblem() { throw full }
                try check(rc, "commit write transaction")
                outcome = .success(value)
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let value):
                return value
            case .failure(let error):
                if state.mapFull || (error as? LMDBError)?.isMapFull == true {
                    try growMap()
                    continue
                }
                throw error
            }
        }
    }

    /// Doubles the map (at least by 64 MiB, at most by 4 GiB a step).
    private func growMap() throws(LMDBError) {
        pthread_rwlock_wrlock(mapLock)
        defer { pthread_rwlock_unlock(mapLock) }
        let current = mapSize
        let step = min(max(current, 64 << 20), 4 << 30)
        try check(mdb_env_set_mapsize(handle, current + step), "grow map to \(current + step) bytes")
    }

    /// Begins a transaction; when another process grew the map, adopts its size and retries.
    /// The caller holds `mapLock` shared; it is released and retaken around the adoption.
    private func beginTransaction(flags: UInt32, holdingSharedLock: Bool) throws(LMDBError) -> OpaquePointer {
        while true {
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, flags, &txn)
            if rc == MDB_MAP_RESIZED {
                pthread_rwlock_unlock(mapLock)
                pthread_rwlock_wrlock(mapLock)
                let adopt = mdb_env_set_mapsize(handle, 0)
                pthread_rwlock_unlock(mapLock)
                pthread_rwlock_rdlock(mapLock)
                try check(adopt, "adopt map size grown by another process")
                continue
            }
            try check(rc, flags & UInt32(MDB_RDONLY) != 0 ? "begin read transaction" : "begin write transaction")
            return txn!
        }
    }

    /// Opens (or with `create`, creates) a named database. Handles are valid for the life
    /// of the environment; open each once and keep it.
    public func openDatabase(_ name: String?, create: Bool = false) throws -> Database {
        if create && !readOnly {
            return try write { txn in try txn.openDatabase(name, create: true) }
        }
        // A handle opened in a read transaction survives only if that transaction commits.
        pthread_rwlock_rdlock(mapLock)
        defer { pthread_rwlock_unlock(mapLock) }
        let txn = try beginTransaction(flags: UInt32(MDB_RDONLY), holdingSharedLock: true)
        var dbi = MDB_dbi()
        let rc = mdb_dbi_open(txn, name, 0, &dbi)
        if rc != 0 {
            mdb_txn_abort(txn)
            throw LMDBError(code: rc, operation: "open database \(name ?? "(main)")")
        }
        try check(mdb_txn_commit(txn), "open database \(name ?? "(main)")")
        return Database(name: name, dbi: dbi)
    }

    /// A failed commit's real reason when the disk is full (LMDB reports a short write as
    /// EIO): "no space left on device at DIR", with the free and the needed space.
    func spaceProblem() -> LMDBError? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        var envInfo = MDB_envinfo(), dbStat = MDB_stat()
        mdb_env_info(handle, &envInfo)
        mdb_env_stat(handle, &dbStat)
        let used = (envInfo.me_last_pgno + 1) * Int(dbStat.ms_psize)
        var fileInfo = stat()
        let file = stat(path + "/data.mdb", &fileInfo) == 0 ? Int(fileInfo.st_size) : 0
        // The commit needed at least the pages past the end of the file; a disk with less
        // than 1 MB or less than that left is the reason.
        let needed = max(used - file, 1 << 20)
        guard free < needed else { return nil }
        func mb(_ bytes: Int) -> String { "\(Double(bytes / 100_000) / 10) MB" }
        return LMDBError(code: ENOSPC, operation: "commit write transaction",
                         detail: "no space left on device at \(path): \(mb(free)) free, the commit needs at least \(mb(needed)) more (nothing of it was written; free some space or index elsewhere)")
    }

    /// Flushes buffers to disk (only needed with no-sync flags; commits are durable).
    public func sync() throws(LMDBError) {
        try check(mdb_env_sync(handle, 1), "mdb_env_sync")
    }

    /// Writes a compact, consistent copy of the environment into the directory `path`.
    public func copy(to path: String, compact: Bool = true) throws(LMDBError) {
        try check(mdb_env_copy2(handle, path, compact ? UInt32(MDB_CP_COMPACT) : 0), "copy environment to \(path)")
    }
}

/// What a write transaction learned while it ran (LMDB's map filled up).
public final class WriteState {
    var mapFull = false
    init() {}
}

/// A handle to a named database inside an environment.
public struct Database: Sendable, Hashable {
    public let name: String?
    let dbi: MDB_dbi
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
