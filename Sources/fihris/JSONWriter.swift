import Fihris
import Foundation

/// Writes JSON with keys in the order given (JSONSerialization sorts nothing and orders nothing).
final class JSONWriter {
    private(set) var text = ""
    private var needsComma = [false]

    private func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    func object(_ body: () -> Void) {
        separate(); text += "{"; needsComma.append(false)
        body()
        needsComma.removeLast(); text += "}"
    }

    func array<S: Sequence>(_ elements: S, _ body: (S.Element) -> Void) {
        separate(); text += "["; needsComma.append(false)
        for element in elements { body(element) }
        needsComma.removeLast(); text += "]"
    }

    func key(_ name: String) {
        string(name)
        text += ":"
        needsComma[needsComma.count - 1] = false
    }

    func string(_ value: String) {
        separate()
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    func number(_ value: Int) { separate(); text += String(value) }
    func bool(_ value: Bool) { separate(); text += value ? "true" : "false" }

    func value(_ value: FieldValue) {
        switch value {
        case .text(let s): string(s)
        case .integer(let i): separate(); text += String(i)
        case .double(let d): separate(); text += d.isFinite ? "\(d)" : "null"
        case .bool(let b): bool(b)
        }
    }
    func number(_ value: Float) { separate(); text += value.isFinite ? "\(value)" : "null" }
}
