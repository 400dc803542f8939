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
