import ArgumentParser
import Fihris
import Foundation

@main
struct FihrisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fihris",
        abstract: "Arabic-first full-text search: index a folder, run ranked queries.",
        discussion: """
            Exit status: 0 on success; 1 when the operation failed (bad input, invalid query, \
            not an index, index being written by another process, damaged index, storage \
            error), with the reason on standard error; 64 for invalid command-line usage; \
            130 when `index` was interrupted (what was read is committed).

            Examples:
              fihris index corpus --index /tmp/fihris-index
              fihris search "عين الأسد" --index /tmp/fihris-index --limit 5
              fihris analyze "وَبِالْكِتَابِ قَالُوا"
              fihris stats --index /tmp/fihris-index
            """,
        version: "0.1.0",
        subcommands: [IndexCommand.self, SearchCommand.self, AnalyzeCommand.self, StatsCommand.self, CheckCommand.self, OptimizeCommand.self, BenchCommand.self, DeleteCommand.self, ExportCommand.self, SnapshotCommand.self]
    )
}

/// Prints `error: message` on standard error and exits with status 1.
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(1)
}

/// A library error as the CLI reports it: the library's message, plus what to do about it
/// in terms of this tool's commands and flags.
func fail(_ error: any Error) -> ExitCode {
    guard let error = error as? FihrisError else { return fail("\(error)") }
    switch error.code {
    case .locked: return fail(error.message + " (or use --wait)")
    case .notAnIndex where error.message.contains("no data.mdb"):
        return fail(error.message + "; create one with `fihris index <folder> --index DIR`")
    default: return fail(error.message)
    }
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
}

/// A short label for a hit: its title, else the start of its longest text field.
func label(_ document: Document, width: Int = 80) -> String {
    var text = document.title
    if text.isEmpty {
        for field in document.fields {
            if case .text(let s) = field.value, s.utf8.count > text.utf8.count { text = s }
        }
    }
    let oneLine = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    return oneLine.count > width ? String(oneLine.prefix(width)) + "…" : oneLine
}
