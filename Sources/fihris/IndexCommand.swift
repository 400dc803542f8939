import ArgumentParser
import Fihris
import Foundation

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index the .txt, .md and .jsonl files of a folder (recursively).",
        discussion: """
            The index at --index is replaced, atomically, by the documents of the folder: \
            searches running meanwhile see the old index until the new one is committed. \
            An index written by another version of Fihris (another format) is rebuilt.

            Examples:
              fihris index corpus --index /tmp/fihris-index --exclude README.md
              fihris index notes --index notes.idx --skip-errors
            """
    )

    @Argument(help: "The folder to index.")
    var folder: String

    @Option(name: .long, help: "The index directory (created when missing or empty).")
    var index: String

    @Option(name: .long, help: "Skip files matching this glob (relative path or file name); repeatable.")
    var exclude: [String] = []

    @Flag(name: .long, help: "Report unreadable files and invalid lines, and index the rest.")
    var skipErrors = false

    func run() throws {
        let started = Date()
        let source = FolderSource(folder: folder, excluding: exclude)
        var documents = 0, bytes = 0, problems = 0
        let fileCount: Int
        do {
            let files = try source.files()
            fileCount = files.count
            let index = try SearchIndex(at: self.index, mode: .openOrRecreate)
            try index.write { writer in
                writer.removeAll()
                for file in files {
                    do {
                        try source.documents(in: file, skipInvalid: skipErrors ? { problems += 1; warn("\($0.message); skipped") } : nil) {
                            try writer.add($0)
                            documents += 1
                        }
                        bytes += file.size
                    } catch let error as FihrisError where skipErrors && (error.code == .io || error.code == .invalidDocument) {
                        problems += 1
                        warn("\(error.message); skipped")
                    }
                }
            }
        } catch let error as FihrisError {
            throw fail(error.message)
        }
        let seconds = max(Date().timeIntervalSince(started), 1e-6)
        let megabytes = Double(bytes) / 1_000_000
        print(String(format: "indexed %d documents from %d files (%.1f MB) in %.2f s: %.0f docs/s, %.1f MB/s -> %@",
                     documents, fileCount, megabytes, seconds, Double(documents) / seconds, megabytes / seconds, self.index))
        if problems > 0 {
            print("\(problems) file(s) or line(s) skipped, see warnings above")
        }
    }
}
