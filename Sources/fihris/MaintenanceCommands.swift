import ArgumentParser
import Fihris
import Foundation

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete documents by id or by query, in one commit.",
        discussion: """
            Examples:
              fihris delete --index /tmp/fihris-index --id bukhari:1 --id bukhari:2
              fihris delete --index /tmp/fihris-index --query "collection:muslim"
            """
    )

    @Option(name: .long, help: "The index directory.")
    var index: String

    @Option(name: .long, help: "A document id to delete; repeatable.")
    var id: [String] = []

    @Option(name: .long, help: "Delete every document this query matches; repeatable.")
    var query: [String] = []

    @Flag(name: .long, help: "Wait while another process writes the index, instead of failing.")
    var wait = false

    func validate() throws {
        if id.isEmpty && query.isEmpty { throw ValidationError("give --id or --query (what to delete)") }
    }

    func run() throws {
        do {
            let searchIndex = try SearchIndex(at: index, mode: .open)
            let before = try searchIndex.documentCount
            try searchIndex.write(waitForOtherWriters: wait) { writer in
                for i in id { writer.delete(id: i) }
                for q in query { try writer.delete(matching: q) }
            }
            let after = try searchIndex.documentCount
            print("deleted \(before - after) document(s); \(after) left in \(index)")
        } catch {
            throw fail(error)
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the stored documents as JSON lines (id, title, stored fields).",
        discussion: """
            From a damaged index, every document that can still be read is written; each \
            damaged one is named on standard error and the command exits with status 1.

            Example:
              fihris export --index /tmp/fihris-index > documents.jsonl
            """
    )

    @Option(name: .long, help: "The index directory.")
    var index: String

    func run() throws {
        do {
            let searchIndex = try SearchIndex(at: index, mode: .open, readOnly: true)
            var buffer = ""
            var damaged = 0, exported = 0
            try searchIndex.forEachReadableDocument(damaged: { error in
                damaged += 1
                FileHandle.standardError.write(Data("warning: skipped a damaged document: \(error.message)\n".utf8))
            }) { document in
                exported += 1
                let out = JSONWriter()
                out.object {
                    out.key("id"); out.string(document.id)
                    if !document.title.isEmpty { out.key("title"); out.string(document.title) }
                    var seen: [String: Int] = [:]
                    for field in document.fields { seen[field.name, default: 0] += 1 }
                    var written = Set<String>()
                    for field in document.fields where !written.contains(field.name) {
                        written.insert(field.name)
                        out.key(field.name)
                        let values = document.fields.filter { $0.name == field.name }.map(\.value)
                        if values.count > 1 { out.array(values) { out.value($0) } } else { out.value(values[0]) }
                    }
                }
                buffer += out.text + "\n"
                if buffer.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(buffer.utf8)); buffer = "" }
            }
            FileHandle.standardOutput.write(Data(buffer.utf8))
            if damaged > 0 {
                throw fail("\(index) is damaged: exported \(exported) documents, skipped \(damaged) that cannot be read (fihris check lists the damage)")
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write a compact, consistent copy of an index, even while it is being written.",
        discussion: "Example:\n  fihris snapshot /backup/index-2026-11-29 --index /tmp/fihris-index"
    )

    @Argument(help: "The new (or empty) directory for the copy.")
    var destination: String

    @Option(name: .long, help: "The index directory.")
    var index: String

    func run() throws {
        let started = Date()
        do {
            try SearchIndex(at: index, mode: .open, readOnly: true).snapshot(to: destination)
        } catch {
            throw fail(error)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: destination + "/data.mdb")[.size] as? Int) ?? 0
        print(String(format: "snapshot of %@ written to %@ (%.1f MB) in %.2f s", index, destination, Double(bytes) / 1e6,
                     Date().timeIntervalSince(started)))
    }
}
