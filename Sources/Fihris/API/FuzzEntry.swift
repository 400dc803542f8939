import Foundation
import PostingsCodec

/// Entry points for the fuzzers of `Fuzz/` (libFuzzer): each takes arbitrary bytes and must
/// never crash, hang or use unbounded memory; errors are the expected outcome.
@_spi(Fuzzing) public enum FuzzEntry {
    /// Parses the bytes (as UTF-8, repaired) as a query and binds it to a small schema.
    public static func query(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let query = try? QueryParser().parse(text) else { return }
        var binder = QueryBinder(schema: schema)
        _ = try? binder.bind(query)
        binder.strictVocalization = true
        binder.rootExpansion = 0.5
        _ = try? binder.bind(query)
    }

    /// Reads the bytes as a `.jsonl` file (documents checked against a small schema).
    public static func jsonLines(_ bytes: UnsafeRawBufferPointer) {
        var accepted = schema
        _ = try? FolderSource.jsonLines(bytes.bindMemory(to: UInt8.self), path: "fuzz.jsonl", skipInvalid: { _ in }) { document, _ in
            try? accepted.accept(document)
        }
    }

    /// Decodes the bytes as a posting chunk: the first two bytes split them into the chunk
    /// and its positions value; every block and every document's positions are decoded.
    public static func postingChunk(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 2 else { return }
        let split = min(bytes.count - 2, Int(bytes.loadUnaligned(as: UInt16.self).littleEndian))
        let chunkBytes = UnsafeRawBufferPointer(rebasing: bytes[2..<(2 + split)])
        let separate = UnsafeRawBufferPointer(rebasing: bytes[(2 + split)...])
        guard let chunk = try? PostingChunk(chunkBytes) else { return }
        let positions = chunk.inlinePositions ?? separate   // a short chunk's are inside it
        _ = chunk.chunkMaxBM25(k1: 1.2, base: 0.3, perToken: 0.003)
        let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128), freqs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
        let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
        defer { docs.deallocate(); freqs.deallocate(); scratch.deallocate() }
        var output: [UInt32] = []
        for block in 0..<min(chunk.blockCount, 64) {
            _ = chunk.blockMaxBM25(block, k1: 1.2, base: 0.3, perToken: 0.003)
            _ = chunk.impacts(block)
            guard let n = try? chunk.decodeBlock(block, docs: docs, freqs: freqs) else { continue }
            _ = try? chunk.decodePositions(block, from: positions, freqs: freqs, count: n, into: &output)
            var start = 0, total = 0
            for i in 0..<n { total += Int(freqs[i]) }
            for i in 0..<n {
                _ = try? chunk.decodePositions(block, from: positions, start: start, freq: Int(freqs[i]), total: total, scratch: scratch, into: &output)
                start += Int(freqs[i])
            }
        }
    }

    /// Reads the bytes with one of the readers of `Ingest/`, chosen by the first byte: 0 an
    /// HTML page, 1 an XHTML chapter, 2 Markdown, 3 CSV, 4 TSV, 5 MuPDF structured text (the
    /// PDF reader's scanner and reordering), 6 an EPUB book (written to a temporary file).
    public static func ingest(_ bytes: UnsafeRawBufferPointer) {
        guard let kind = bytes.first else { return }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[1...])
        switch kind % 7 {
        case 0: _ = try? MarkupText.extract(rest, name: "fuzz.html")
        case 1: _ = try? MarkupText.extract(rest, name: "fuzz.xhtml", parser: .xhtml)
        case 2:
            guard FolderSource.notUTF8Text(rest) == nil else { return }
            _ = try? MarkdownReader.documents(rest, id: "fuzz.md")
        case 3, 4:
            var accepted = schema
            _ = try? DelimitedReader(name: "fuzz.csv", separator: kind % 7 == 3 ? 0x2C : 0x09)
                .read(BufferChunks(bytes: rest), skipInvalid: { _ in }, fieldType: { _ in nil }) { try? accepted.accept($0) }
        case 5:
            var scanner = StructuredTextScanner()
            // In two pieces, so tags cut by a chunk boundary are exercised too.
            let cut = rest.count / 2
            scanner.feed(UnsafeRawBufferPointer(rebasing: rest[..<cut])) { _, _ in }
            scanner.feed(UnsafeRawBufferPointer(rebasing: rest[cut...])) { _, _ in }
        default:
            let path = NSTemporaryDirectory() + "fihris-fuzz-\(getpid()).epub"
            guard FileManager.default.createFile(atPath: path, contents: Data(rest)) else { return }
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = try? EPUBReader.documents(path: path, id: "fuzz.epub")
        }
    }

    struct BufferChunks: ByteChunks {
        let bytes: UnsafeRawBufferPointer
        func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) throws { try body(bytes) }
    }

    /// Replays the files named on the command line through `fuzz` (a build without libFuzzer).
    public static func replay(_ fuzz: (UnsafeRawBufferPointer) -> Void) {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            data.withUnsafeBytes { fuzz($0) }
        }
    }

    static let schema = try! Schema(fields: [
        FieldDefinition(name: "text", type: .text), FieldDefinition(name: "book", type: .integer),
        FieldDefinition(name: "collection", type: .keyword),
    ])
}
