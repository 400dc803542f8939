import Foundation
import Testing

/// The corruption suite, in the spirit of SQLite's corrupt*.test: copies of a small index
/// are damaged — truncated, a page zeroed, bytes flipped at random, 64 random bytes written
/// — and every reading command is run on each in a child process. Each outcome is a clean
/// error (exit 1 naming the damage), still correct (exit 0, output equal to the undamaged
/// index's), a crash (a signal), a hang, or silent corruption (exit 0, other output). The
/// last three must never happen. The long run is `scripts/corruption_suite.py`.
@Suite(.serialized) struct CorruptionTests {
    enum Damage: CustomStringConvertible {
        case truncate(Int), zeroPage(Int), flip(Int, UInt8), random(Int, [UInt8])
        var description: String {
            switch self {
            case .truncate(let size): "truncate to \(size) bytes"
            case .zeroPage(let page): "zero page \(page)"
            case .flip(let at, let mask): "flip 0x\(String(mask, radix: 16)) at byte \(at)"
            case .random(let at, let bytes): "\(bytes.count) random bytes at \(at)"
            }
        }
    }

    /// Output with the index path and timings taken out (they differ between the copies).
    static func normalized(_ output: String, _ path: String) -> String {
        output.replacingOccurrences(of: path, with: "IDX")
            .replacingOccurrences(of: #"\([0-9.]+ ms\)"#, with: "(time)", options: .regularExpression)
    }

    static let commands: [[String]] = [["check"], ["stats"], ["search", "حدثنا", "--limit", "50"], ["search", "\"عن ابن\"", "--limit", "50"], ["export"]]

    @Test func damagedCopiesNeverCrashHangOrLie() throws {
        let root = NSTemporaryDirectory() + "fihris-corrupt-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = root + "/corpus", index = root + "/index"
        _ = try makeCorpus(in: folder, files: 2, documentsPerFile: 150)
        let built = try fihris("index", folder, "--index", index)
        #expect(built.status == 0, "\(built.stderr)")
        let original = try Self.commands.map { try fihris([$0[0], "--index", index] + $0.dropFirst()) }
        for result in original { #expect(result.status == 0, "\(result.stderr)") }

        let file = index + "/data.mdb"
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let pages = data.count / 4096
        var generator = SplitMix(seed: 20261201)
        var damages: [Damage] = [.truncate(data.count / 2), .truncate(data.count - 4096 * 3), .truncate(3 * 4096)]
        for _ in 0..<8 { damages.append(.zeroPage(Int(generator.next() % UInt64(pages - 2)) + 2)) }
        for _ in 0..<10 { damages.append(.flip(8192 + Int(generator.next() % UInt64(data.count - 8192)), UInt8(1 << (generator.next() % 8)))) }
        for _ in 0..<6 {
            damages.append(.random(8192 + Int(generator.next() % UInt64(data.count - 8192 - 64)), (0..<64).map { _ in UInt8(generator.next() & 0xFF) }))
        }

        var outcomes: [String: Int] = [:]
        let copy = root + "/copy"
        for damage in damages {
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            var damaged = data
            switch damage {
            case .truncate(let size): damaged = damaged.prefix(size)
            case .zeroPage(let page): damaged.replaceSubrange(page * 4096..<(page + 1) * 4096, with: Data(count: 4096))
            case .flip(let at, let mask): damaged[at] ^= mask
            case .random(let at, let bytes): damaged.replaceSubrange(at..<(at + bytes.count), with: bytes)
            }
            try damaged.write(to: URL(fileURLWithPath: copy + "/data.mdb"))
            for (command, expected) in zip(Self.commands, original) {
                let result = try fihris([command[0], "--index", copy] + command.dropFirst(), timeout: 60)
                let outcome: String
                if result.timedOut { outcome = "hang" }
                else if result.signal != 0 { outcome = "crash" }
                else if result.status == 0 {
                    outcome = Self.normalized(result.stdout, copy) == Self.normalized(expected.stdout, index) ? "still correct" : "silent corruption"
                }
                else if result.stderr.contains("error:") && !result.stderr.contains("Fatal error") { outcome = "clean error" }
                else { outcome = "unclear exit \(result.status)" }
                outcomes[outcome, default: 0] += 1
                #expect(outcome == "clean error" || outcome == "still correct",
                        "\(damage), \(command.joined(separator: " ")): \(outcome) — \(result.stderr.prefix(300))")
            }
        }
        print("corruption suite: \(damages.count) damaged copies × \(Self.commands.count) commands: \(outcomes.sorted { $0.key < $1.key })")
    }
}

/// A small deterministic generator (the same damages on every run).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct TimedResult {
    let status: Int32, signal: Int32, timedOut: Bool
    let stdout: String, stderr: String
}

/// Runs `fihris` with `arguments`, killing it after `timeout` seconds.
func fihris(_ arguments: [String], timeout: TimeInterval) throws -> TimedResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(fihrisBinary))
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let deadline = DispatchTime.now() + timeout
    var timedOut = false
    let killer = DispatchWorkItem { if process.isRunning { timedOut = true; process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    killer.cancel()
    let signaled = process.terminationReason == .uncaughtSignal
    return TimedResult(status: signaled ? 0 : process.terminationStatus, signal: signaled ? process.terminationStatus : 0,
                       timedOut: timedOut, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// `fihris(_:)` with an array of arguments.
func fihris(_ arguments: [String]) throws -> CommandResult {
    let result = try fihris(arguments, timeout: 120)
    return CommandResult(status: result.signal != 0 ? 128 + result.signal : result.status, stdout: result.stdout, stderr: result.stderr)
}
