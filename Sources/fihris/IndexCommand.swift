import ArgumentParser
import Fihris
import Foundation
import Synchronization

/// Set by SIGINT: the indexer commits what it has read and stops.
let interruptRequested = Atomic<Bool>(false)

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index the documents of a folder (recursively), incrementally, or of standard input.",
        discussion: """
            Formats, by extension (fields: the README's Formats table):
              .txt .md .markdown  a document per file; Markdown per section (NOTES.md#slug)
              .jsonl .ndjson      a document per line (id: "id", else FILE:LINE)
              .csv .tsv .tab      a document per row after the header row (id: "id")
              .html .htm .xhtml   a document per page: body text without boilerplate
              .epub               a document per chapter: BOOK.epub#chapter-N
              .pdf                a document per page: BOOK.pdf#pN (needs mupdf-tools)

            Only new and changed files are read again; the documents of deleted files are \
            removed; in a changed file of several documents only the changed ones are \
            re-indexed. Work is committed every 12 MB, atomically: searches running meanwhile \
            see each commit whole or not at all. Ctrl-C commits what was read and stops (exit \
            status 130); run the command again to carry on. An index written by another \
            version of Fihris (another format) is rebuilt. A file that cannot be read \
            (damaged, encrypted, not UTF-8) stops the run with an error naming it; with \
            --skip-errors it is a warning, and the rest is indexed.

            With --watch the command stays and keeps the index in step with the folder \
            (inotify), printing a line per applied change; Ctrl-C commits and exits.

            FOLDER "-" reads standard input: JSON lines by default, or --format csv, tsv, \
            txt, md or html (one document, id --id); documents are added or replaced by id.

            Examples:
              fihris index corpus --index /tmp/fihris-index --exclude README.md
              fihris index ~/books --index books.idx --include '*.epub' --include '*.pdf'
              fihris index data --index data.idx --schema schema.json --skip-errors
              fihris index notes --index notes.idx --watch
              zcat dump.jsonl.gz | fihris index - --index dump.idx
              fihris index - --index notes.idx --format txt --id today < today.txt
            """
    )

    @Argument(help: "The folder to index, or - for standard input.")
    var folder: String

    @Option(name: .long, help: "The index directory (created when missing or empty).")
    var index: String

    @Option(name: .long, help: "Skip files matching this glob (relative path or file name); repeatable.")
    var exclude: [String] = []

    @Option(name: .long, help: "Read only files matching this glob (relative path or file name); repeatable.")
    var include: [String] = []

    @Option(name: .long, help: "With FOLDER -, the format of standard input: jsonl (default), csv, tsv, txt, md or html.")
    var format: String?

    @Option(name: .long, help: "With FOLDER - and --format txt, md or html, the id of the document (default stdin).")
    var id: String?

    @Flag(name: .long, help: "Stay and keep the index in step with the folder (inotify); Ctrl-C commits and exits.")
    var watch = false

    @Option(name: .long, help: "A schema file (JSON) for a new index: field types, analyzers, stored or not.")
    var schema: String?

    @Flag(name: .long, help: "Report unreadable files and invalid lines, and index the rest.")
    var skipErrors = false

    @Flag(name: .long, help: "Wait while another process writes the index, instead of failing.")
    var wait = false

    @Flag(name: .long, help: "Replace the whole index instead of updating it.")
    var rebuild = false

    @Option(name: .long, help: "Commit at least every N megabytes of text read (default 12).")
    var batchMb: Double = 12

    @Option(name: .long, help: ArgumentHelp("Commit at least every N documents.", visibility: .hidden))
    var batchDocuments: Int?

    func validate() throws {
        guard batchMb > 0 else { throw ValidationError("--batch-mb must be more than 0") }
        if let format {
            guard folder == "-" else { throw ValidationError("--format is for standard input (FOLDER -); files are read by their extension") }
            guard let parsed = SourceFormat(name: format), parsed.isStreamable else {
                throw ValidationError("--format \(format): expected jsonl, csv, tsv, txt, md or html")
            }
        }
        if id != nil, folder != "-" { throw ValidationError("--id is for standard input (FOLDER -)") }
        if watch, folder == "-" { throw ValidationError("--watch needs a folder, not standard input") }
        if let batchDocuments, batchDocuments < 1 { throw ValidationError("--batch-documents must be 1 or more") }
    }

    /// The index to write into; with --rebuild, one too damaged to open is started again.
    func openForIndexing(_ schema: Schema?) throws -> SearchIndex {
        let opened = Result { () throws(FihrisError) -> SearchIndex in try SearchIndex(at: index, mode: .openOrRecreate, schema: schema) }
        // An index of another format or analysis version is rebuilt from the folder: say so.
        if case .success(let index) = opened, let reason = index.replaced {
            warn("\(reason.replacingOccurrences(of: " Re-index the documents.", with: "")) It is rebuilt from \(folder).")
        }
        if case .failure(let error) = opened, error.code == .corrupted, rebuild {
            SearchIndex.deleteFiles(at: index)
            return try SearchIndex(at: index, mode: .openOrCreate, schema: schema)
        }
        return try opened.get()
    }

    func run() throws {
        let started = Date()
        var indexer = FolderIndexer(source: FolderSource(folder: folder, excluding: exclude, including: include))
        indexer.waitForOtherWriters = wait
        indexer.rebuild = rebuild
        indexer.batchBytes = max(1, Int(batchMb * 1_000_000))
        indexer.batchDocuments = batchDocuments
        if skipErrors { indexer.skipInvalid = { warn("\($0.message); skipped") } }
        indexer.warning = { warn($0) }
        indexer.shouldStop = { interruptRequested.load(ordering: .relaxed) }
        let showProgress = isatty(2) != 0 && folder != "-"
        if showProgress {
            indexer.progress = { p in
                let seconds = max(Date().timeIntervalSince(started), 1e-3)
                let fraction = p.totalBytes > 0 ? min(1, Double(p.bytes) / Double(p.totalBytes)) : (p.totalFiles > 0 ? Double(p.files) / Double(p.totalFiles) : 1)
                let width = 24, filled = Int(fraction * Double(width))
                let eta = fraction > 0.01 && fraction < 1 ? String(format: ", ETA %.0f s", seconds / fraction - seconds) : ""
                let line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
                    + String(format: "%3.0f%% %d/%d files, %.0f docs/s, %.1f MB/s%@", fraction * 100, p.files, p.totalFiles,
                             Double(p.documents) / seconds, Double(p.bytes) / 1e6 / seconds, eta)
                FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
            }
        }
        signal(SIGINT) { _ in
            interruptRequested.store(true, ordering: .relaxed)
            signal(SIGINT, SIG_DFL)  // a second Ctrl-C ends the process at once
        }
        // A parent may have left SIGINT blocked (the mask is inherited): unblock it.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        var summary: FolderIndexer.Summary
        let documents: Int
        let index: SearchIndex
        do {
            let schema = try self.schema.map { try Schema.load(from: $0) }
            index = try openForIndexing(schema)
            if let schema {
                // An existing index keeps its schema: the file may only restate it (fields
                // inferred since may follow).
                let current = try index.schema
                let restated = current.fields.count >= schema.fields.count && zip(current.fields, schema.fields).allSatisfy { $0 == $1 }
                if !restated {
                    throw FihrisError(.schemaMismatch,
                        "\(self.index) already has a schema that differs from \(self.schema!); index into a new directory (or use --rebuild with an empty one) to change field types")
                }
            }
            if folder == "-" {
                var reader = StreamIndexer(format: format.flatMap(SourceFormat.init(name:)) ?? .jsonLines)
                reader.documentID = id
                reader.skipInvalid = indexer.skipInvalid
                reader.batchBytes = indexer.batchBytes
                reader.waitForOtherWriters = wait
                reader.shouldStop = indexer.shouldStop
                summary = try reader.run(StreamChunks(descriptor: 0, name: "standard input"), into: index)
            } else {
                var changes: [FolderIndexer.FileChange] = []
                if watch { indexer.changed = { changes.append($0) } }
                summary = try indexer.run(into: index)
                if watch { summary = try keepInStep(index, indexer, first: summary, changes: { let c = changes; changes.removeAll(); return c }) }
            }
            documents = try index.documentCount
        } catch let error as FihrisError {
            throw fail(error)
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let seconds = max(Date().timeIntervalSince(started), 1e-6)
        let megabytes = Double(summary.bytesRead) / 1_000_000
        let from = folder == "-" ? "standard input" : "\(summary.filesRead) files"
        print(String(format: "indexed %d documents (%d unchanged, %d deleted) from %@ (%.1f MB; %d unchanged, %d removed) in %.2f s: %.0f docs/s, %.1f MB/s; %d documents in %@",
                     summary.documentsIndexed, summary.documentsUnchanged, summary.documentsDeleted, from, megabytes,
                     summary.filesUnchanged, summary.filesRemoved, seconds, Double(summary.documentsIndexed) / seconds,
                     megabytes / seconds, documents, self.index))
        if summary.problems > 0 {
            print("\(summary.problems) file(s) or line(s) skipped, see warnings above")
        }
        if summary.interrupted && !watch {
            FileHandle.standardError.write(Data("interrupted: what was read is committed; run the command again to carry on\n".utf8))
            throw ExitCode(130)
        }
    }

    /// --watch: after the first sync, syncs again each time the folder changes and settles,
    /// printing a line per file applied, until Ctrl-C.
    func keepInStep(_ index: SearchIndex, _ indexer: FolderIndexer, first: FolderIndexer.Summary,
                    changes: () -> [FolderIndexer.FileChange]) throws -> FolderIndexer.Summary {
        var total = first
        _ = changes()
        guard !first.interrupted else { return total }
        let watcher = try FolderWatcher(source: indexer.source)
        var incremental = indexer
        incremental.rebuild = false
        incremental.progress = nil
        let clock = DateFormatter()
        clock.dateFormat = "HH:mm:ss"
        print("watching \(folder) (\(watcher.folderCount) folders; Ctrl-C to stop)")
        fflush(nil)
        while try watcher.wait(shouldStop: indexer.shouldStop) {
            let summary = try incremental.run(into: index)
            let now = clock.string(from: Date())
            for change in changes() {
                let sign = change.kind == .added ? "+" : change.kind == .changed ? "~" : "-"
                let what = change.kind == .removed ? "\(change.documents) documents removed" : "\(change.documents) documents"
                print("\(now) \(sign) \(change.path) (\(what))")
            }
            fflush(nil)
            total.documentsIndexed += summary.documentsIndexed
            total.documentsDeleted += summary.documentsDeleted
            total.documentsUnchanged += summary.documentsUnchanged
            total.filesRead += summary.filesRead
            total.filesRemoved += summary.filesRemoved
            total.bytesRead += summary.bytesRead
            total.problems += summary.problems
            if summary.interrupted { break }
        }
        total.interrupted = true
        return total
    }
}
