import ArgumentParser
import Fihris
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show an index's documents, fields, terms, posting chunks and size per database.",
        discussion: "Example:\n  fihris stats --index /tmp/fihris-index"
    )

    @Option(name: .long, help: "The index directory.")
    var index: String

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        let stats: IndexStatistics
        do {
            stats = try SearchIndex(at: index, mode: .open, readOnly: true).statistics()
        } catch let error as FihrisError {
            throw fail(error)
        }
        if json {
            let out = JSONWriter()
            out.object {
                out.key("documents"); out.number(stats.documents)
                out.key("deletedDocuments"); out.number(stats.deletedDocuments)
                out.key("deletedInPostings"); out.number(stats.deletedInPostings)
                out.key("postingLists"); out.number(stats.postingLists)
                out.key("chunks"); out.number(stats.chunks)
                out.key("segments"); out.number(stats.segments)
                out.key("fileBytes"); out.number(stats.fileBytes)
                out.key("formatVersion"); out.number(Int(stats.formatVersion))
                out.key("fields")
                out.array(stats.fields) { field in
                    out.object {
                        out.key("name"); out.string(field.name)
                        out.key("type"); out.string(field.type.rawValue)
                        out.key("documents"); out.number(Int(field.documents))
                        out.key("tokens"); out.number(Int(field.tokens))
                        out.key("terms"); out.number(field.terms)
                    }
                }
                out.key("databases")
                out.array(stats.databases) { db in
                    out.object {
                        out.key("name"); out.string(db.name)
                        out.key("entries"); out.number(db.entries)
                        out.key("bytes"); out.number(db.bytes)
                    }
                }
                out.key("termKinds")
                out.array(stats.termKinds) { kind in
                    out.object {
                        out.key("kind"); out.string(kind.kind)
                        out.key("postingLists"); out.number(kind.postingLists)
                        out.key("postingBytes"); out.number(kind.postingBytes)
                        out.key("positionBytes"); out.number(kind.positionBytes)
                    }
                }
            }
            print(out.text)
            return
        }
        func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        print("index \(index) (format \(stats.formatVersion)), \(mb(stats.fileBytes)) on disk")
        if stats.deletedDocuments == 0 {
            print("documents: \(stats.documents)")
        } else if stats.deletedInPostings == 0 {
            print("documents: \(stats.documents) (\(stats.deletedDocuments) deleted, in no posting list any more)")
        } else {
            print("documents: \(stats.documents) (\(stats.deletedDocuments) deleted, \(stats.deletedInPostings) still in posting lists until a merge or optimize)")
        }
        print("posting lists: \(stats.postingLists) in \(stats.chunks) chunks, \(stats.segments) segment(s)")
        print("fields:")
        for field in stats.fields {
            let detail = field.type == .text ? ", \(field.documents) documents, \(field.tokens) tokens, \(field.terms) distinct forms"
                : field.type == .keyword ? ", \(field.terms) distinct values" : ""
            print("  \(field.name): \(field.type.rawValue)\(detail)")
        }
        print("databases:")
        for db in stats.databases {
            print("  " + db.name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%10d entries  %@", db.entries, mb(db.bytes)))
        }
        print("term kinds (keys and values of postings + positions):")
        for kind in stats.termKinds {
            print("  " + kind.kind.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + String(format: "%10d lists  %@ + %@", kind.postingLists, mb(kind.postingBytes), mb(kind.positionBytes)))
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify an index: every posting list decodes, counts agree, no dangling ids.",
        discussion: "Exit status 0 only when the index is sound; 1 when a problem is found (each printed), or the index cannot be read.\n\nExample:\n  fihris check --index /tmp/fihris-index"
    )

    @Option(name: .long, help: "The index directory.")
    var index: String

    func run() throws {
        let report: CheckReport
        do {
            report = try SearchIndex(at: index, mode: .open, readOnly: true).check()
        } catch let error as FihrisError {
            throw fail(error)
        }
        for problem in report.problems { print("problem: \(problem)") }
        if report.isSound {
            print("ok: \(report.documents) documents, \(report.postingLists) posting lists in \(report.chunks) chunks, \(report.postings) postings checked; \(report.values) values checksum-verified")
            if report.leftoverChunks > 0 {
                print("note: \(report.leftoverChunks) chunks of an interrupted merge, which no search reads; the next write removes them")
            }
        } else {
            throw fail("\(index) is damaged: \(report.problems.count)\(report.problems.count == 100 ? "+" : "") problem(s)")
        }
    }
}

struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Merge an index into one segment, drop deleted documents and repack its storage.",
        discussion: "Example:\n  fihris optimize --index /tmp/fihris-index"
    )

    @Option(name: .long, help: "The index directory.")
    var index: String

    @Flag(name: .long, help: "Wait while another process writes the index, instead of failing.")
    var wait = false

    func run() throws {
        let started = Date()
        do {
            try SearchIndex(at: index, mode: .open).optimize(waitForOtherWriters: wait)
        } catch let error as FihrisError {
            throw fail(error)
        }
        print(String(format: "optimized %@ in %.2f s", index, Date().timeIntervalSince(started)))
    }
}
