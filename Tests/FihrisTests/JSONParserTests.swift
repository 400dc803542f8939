import Testing
@testable import Fihris

@Suite struct JSONParserTests {
    @Test(arguments: [
        (#"{"a": 1, "b": -2.5, "c": "x", "d": true, "e": null}"#,
         JSONValue.object([("a", .integer(1)), ("b", .double(-2.5)), ("c", .string("x")), ("d", .bool(true)), ("e", .null)])),
        (#"{"z": 1, "a": 2}"#, .object([("z", .integer(1)), ("a", .integer(2))])),  // key order kept
        (#"[1, [2, []], {}]"#, .array([.integer(1), .array([.integer(2), .array([])]), .object([])])),
        (#""قال \"نعم\"\n""#, .string("قال \"نعم\"\n")),
        (#""\u0627\u0644\u0644\u0647""#, .string("الله")),
        (#""\ud83d\ude00""#, .string("😀")),
        ("9223372036854775807", .integer(Int64.max)),
        ("9223372036854775808", .double(9223372036854775808)),
        ("1e3", .double(1000)),
        ("  \"x\"  ", .string("x")),
    ] as [(String, JSONValue)])
    func parsesValid(_ input: String, _ expected: JSONValue) throws {
        #expect(try JSONParser.parse(input) == expected)
    }

    @Test(arguments: [
        (#"{"a": 1"#, 8, "unexpected end of line inside an object"),
        (#"{"a" 1}"#, 6, "expected ':'"),
        (#"{"نص": x}"#, 8, "unexpected character"),
        (#"[1, 2,]"#, 7, "unexpected character"),
        (#""abc"#, 5, "unterminated string"),
        (#"{"a": 01}"#, 7, "leading zeros"),
        (#"{"a": 1} x"#, 10, "after the JSON value"),
        (#""\q""#, 2, "invalid escape"),
        ("tru", 1, "invalid literal"),
        ("", 1, "expected a value"),
        // A 5,000-digit number is cut in the message, not echoed whole.
        ("{\"n\": " + String(repeating: "9", count: 5000) + "}", 7, "…(5000 characters): outside the range"),
    ] as [(String, Int, String)])
    func reportsColumn(_ input: String, _ column: Int, _ message: String) {
        do {
            _ = try JSONParser.parse(input)
            Issue.record("\(input) should not parse")
        } catch {
            #expect(error.column == column, "\(input): \(error.message)")
            #expect(error.message.contains(message), "\(input.prefix(60)): \(error.message)")
            #expect(error.message.count < 200)
        }
    }

    @Test func deepNestingIsAnErrorNotAStackOverflow() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
    }
}
