import Testing
import QueryLanguage

/// Query text → canonical syntax tree.
let goldenQueries: [(String, String)] = [
    ("كتاب", "كتاب"),
    ("عين الأسد", "(عين الأسد)"),
    ("a b c", "(a b c)"),
    ("a AND b", "(+a +b)"),
    ("a && b", "(+a +b)"),
    ("a OR b", "(a b)"),
    ("a || b", "(a b)"),
    ("a AND b OR c", "((+a +b) c)"),
    ("a OR b AND c", "(a (+b +c))"),
    ("a b AND c", "(a (+b +c))"),
    ("a b OR c d", "((a b) (c d))"),
    ("+a -b c", "(+a -b c)"),
    ("a NOT b", "(a -b)"),
    ("a AND NOT b", "(+a -b)"),
    ("a !b", "(a -b)"),
    ("NOT a", "(-a)"),
    ("-a", "(-a)"),
    ("(a b) AND c", "(+(a b) +c)"),
    ("((a))", "a"),
    ("(+a)", "(+a)"),
    ("\"إنما الأعمال\"", "\"إنما الأعمال\""),
    ("\"a b\"~3", "\"a b\"~3"),
    ("\"a \\\"quoted\\\" b\"", "\"a \\\"quoted\\\" b\""),
    ("text:كتاب", "text:كتاب"),
    ("text:\"a b\"", "text:\"a b\""),
    ("title:(a b)", "(title:a title:b)"),
    ("collection:bukhari AND كتاب", "(+collection:bukhari +كتاب)"),
    ("book:[3 TO 9]", "book:[3 TO 9]"),
    ("book:{3 TO 9}", "book:{3 TO 9}"),
    ("book:[3 TO 9}", "book:[3 TO 9}"),
    ("book:[* TO 9]", "book:[* TO 9]"),
    ("book:[-5 TO -1]", "book:[-5 TO -1]"),          // a minus sign in a range, not an exclusion
    ("book:{-2.5 TO 3]", "book:{-2.5 TO 3]"),
    ("book:>=-3", "book:[-3 TO *]"),
    ("صلاه~1", "صلاه~1"),                             // fuzzy
    ("text:المسجد~2 قال~", "(text:المسجد~2 قال~)"),
    ("مسجد~1^2", "مسجد~1^2"),
    ("title:خبر^2", "title:خبر^2"),                   // boosts
    ("(a b)^0.5", "(a b)^0.5"),
    ("\"a b\"~2^3", "\"a b\"~2^3"),
    ("+a^2 -b c^1.5", "(+a^2 -b c^1.5)"),
    ("صلا*^4", "صلا*^4"),
    ("a -1", "(a -1)"),                               // outside a range: an exclusion
    ("*", "*:*"),                                     // every document
    ("*:*", "*:*"),
    ("* -collection:muslim", "(*:* -collection:muslim)"),
    ("book:[٣ TO ٩]", "book:[٣ TO ٩]"),
    ("book:>=5", "book:[5 TO *]"),
    ("book:>5", "book:{5 TO *]"),
    ("book:<5", "book:[* TO 5}"),
    ("book:<=5", "book:[* TO 5]"),
    ("كتا*", "كتا*"),
    ("text:كتا*", "text:كتا*"),
    ("a\\:b", "a\\:b"),
    ("a\\*", "a\\*"),
    ("déjà-vu x-y", "(déjà-vu x-y)"),
    ("  a   ", "a"),
    ("a OR NOT b", "(a -b)"),
    ("+a +b", "(+a +b)"),
    ("=عَلَّمَ", "=عَلَّمَ"),
    ("a =b", "(a =b)"),
    ("+=b", "(+=b)"),
    ("=\"a b\"~2", "=\"a b\"~2"),
    ("text:=كتاب", "text:=كتاب"),
    ("text:=\"a b\"", "text:=\"a b\""),
    ("a=b", "a=b"),
    ("= a", "(= a)"),
    (">>كتب", ">>كتب"),
    (">>\"قال رسول\"~2", ">>\"قال رسول\"~2"),
    ("text:>>كتب الصلاة", "(text:>>كتب الصلاة)"),
    ("+>>علم -جهل", "(+>>علم -جهل)"),
    ("book:>5", "book:{5 TO *]"),
]

/// Bad query → message and column.
let badQueries: [(String, String, Int)] = [
    ("", "the query is empty", 1),
    ("   ", "the query is empty", 1),
    ("\"a b", "unbalanced quote: this phrase is not closed", 1),
    ("a \"b", "unbalanced quote: this phrase is not closed", 3),
    ("(a b", "unbalanced parenthesis: this ( is not closed", 1),
    ("a (b (c)", "unbalanced parenthesis: this ( is not closed", 3),
    ("a b)", "unbalanced parenthesis: nothing to close here", 4),
    ("a AND", "AND needs a clause after it", 3),
    ("a OR", "OR needs a clause after it", 3),
    ("AND a", "AND needs a clause before it", 1),
    ("a AND OR b", "AND needs a clause after it", 3),
    ("a -", "- needs a clause after it", 3),
    ("a NOT", "NOT needs a clause after it", 3),
    ("text:", "text: needs a value", 1),
    ("x text: ", "text: needs a value", 3),
    ("()", "empty parentheses", 2),
    ("book:[3 9]", "a range needs TO between its bounds ([a TO b])", 9),
    ("book:[3 TO 9", "unbalanced range: this [ is not closed by ] or }", 6),
    ("book:>", "book:> needs a value", 7),
    ("a*b", "* is only supported at the end of a word (prefix*)", 2),
    ("text:*", "a prefix query needs letters before * (every document: * or *:*)", 6),
    ("a^", "a boost needs a number after ^ (word^2, (a b)^0.5)", 2),
    ("a^x", "a boost needs a number after ^ (word^2, (a b)^0.5)", 2),
    ("a^2000", "the boost 2000 is too large (at most 1000)", 2),
    ("^2 a", "a boost (^) follows a word, a phrase or a group: word^2", 1),
    ("a^2^3", "a second boost (^): write one, word^4", 4),
    ("\"a\"~", "~ must be followed by a number (\"a phrase\"~2)", 4),
    ("a~3", "a word may have at most 2 edits (word~1, word~2), not 3", 2),
    ("a*~1", "a prefix cannot be fuzzy (prefix*~)", 3),
    ("a\\", "a backslash at the end escapes nothing", 2),
    ("text:a:b", "a field inside a field (text:a:)", 6),
    ("\"a\"~99999", "the proximity 99999 is too large (at most 9999)", 4),
    ("\"a\"~" + String(repeating: "7", count: 5000), "the proximity 77777777…(5000 digits) is too large (at most 9999)", 4),
    ("=a*", "= needs a word or a \"phrase\" right after it (=عَلَّمَ)", 1),
    ("x =+a", "= needs a word or a \"phrase\" right after it (=عَلَّمَ)", 3),
    ("=text:a", "put = after the field name: field:=word", 1),
    (">>a*", ">> needs a word or a \"phrase\" right after it (>>كتب)", 1),
    ("x >>", ">> needs a word or a \"phrase\" right after it (>>كتب)", 3),
    (">>text:a", "put >> after the field name: field:>>word", 1),
]

@Suite struct QueryParserTests {
    @Test(arguments: goldenQueries)
    func canonicalForm(_ input: String, _ expected: String) throws {
        #expect(try QueryParser().parse(input).description == expected, "\(input)")
    }

    @Test(arguments: badQueries)
    func errorsNameTheColumn(_ input: String, _ message: String, _ column: Int) {
        do {
            let query = try QueryParser().parse(input)
            Issue.record("\(input) parsed as \(query)")
        } catch {
            #expect(error.message == message, "\(input)")
            #expect(error.column == column, "\(input): \(error.message)")
        }
    }

    @Test func defaultOperatorAND() throws {
        let parser = QueryParser(defaultOperator: .and)
        #expect(try parser.parse("a b").description == "(+a +b)")
        #expect(try parser.parse("a b OR c").description == "((+a +b) c)")
        #expect(try parser.parse("a -b").description == "(+a -b)")
    }

    @Test func limits() throws {
        let deep = String(repeating: "(", count: 40) + "a" + String(repeating: ")", count: 40)
        #expect(throws: QueryError.self) { try QueryParser().parse(deep) }
        #expect(try QueryParser(maximumDepth: 64).parse(deep).description == "a")
        let many = (0..<2000).map { "w\($0)" }.joined(separator: " ")
        let error = try #require(throws: QueryError.self) { try QueryParser().parse(many) }
        #expect(error.message == "the query has more than 1024 clauses")
    }

    @Test func rangesCarryTheirSourceRange() throws {
        guard case .boolean(let clauses) = try QueryParser().parse("x book:[1 TO 5]") else { Issue.record("not boolean"); return }
        #expect(clauses[1].query.range == SourceRange(2, 15))
    }

    /// A randomized fuzz: a million inputs drawn from the syntax's own alphabet (plus
    /// Arabic letters and noise) must each parse or throw a QueryError with a column inside
    /// the input; never crash or hang. FIHRIS_FUZZ_ITERATIONS overrides the count.
    @Test func fuzzNeverCrashes() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["FIHRIS_FUZZ_ITERATIONS"] ?? "") ?? 1_000_000
        let alphabet: [String] = ["a", "b", "كتاب", "ال", " ", " ", "(", ")", "\"", ":", "[", "]", "{", "}", "~", "2", "*", "\\",
                                  "+", "-", "!", "AND", "OR", "NOT", "&&", "||", "TO", ">", ">=", "<", "^", "field", "\u{200F}", "é"]
        var rng = SplitMix(seed: 20261129)
        var parsed = 0
        let parser = QueryParser()
        for _ in 0..<iterations {
            let length = Int(rng.next() % 12)
            var text = ""
            for _ in 0..<length { text += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            do {
                let query = try parser.parse(text)
                _ = query.description
                parsed += 1
            } catch {
                #expect(error.column >= 1 && error.column <= text.count + 1, "\(text): \(error)")
            }
        }
        #expect(parsed > iterations / 20)
    }
}

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

import Foundation

/// Lenient mode (search boxes, pasted text): never an error; what is well formed parses as
/// in strict mode, the rest is text.
@Suite struct LenientParserTests {
    static let rows: [(String, String)] = [
        ("عين الأسد", "(عين الأسد)"),                                  // well formed: unchanged
        ("\"إنما الأعمال\" +collection:bukhari", "(\"إنما الأعمال\" +collection:bukhari)"),
        ("قال \"إنما الأعمال", "(قال \\\"إنما الأعمال)"),                  // unclosed quote: a word
        ("{قال} الله", "(\\{قال\\} الله)"),                               // braces of pasted text
        ("(الصلاة والزكاة", "(\\(الصلاة والزكاة)"),                      // unclosed parenthesis
        ("الصلاة) والزكاة", "(الصلاة\\) والزكاة)"),
        ("قال: حدثنا", "(قال\\: حدثنا)"),                                 // a colon after a word that is no field
        ("text:كتاب قال: نعم", "(text:كتاب قال\\: نعم)"),                  // ... and one that is
        ("كتاب AND", "(كتاب AND)"),                                       // a dangling operator is a word
        ("*كتاب", "\\*كتاب"),
        ("كتاب^2", "كتاب^2"),                                           // a boost, well formed
        ("كتاب^", "كتاب\\^"),                                           // a caret without a number: text
        ("a ~ b", "(a \\~ b)"),
        ("+", "+"),
        ("", "()"),
        ("   ", "()"),
    ]

    @Test func lenientTable() {
        let parser = QueryParser(mode: .lenient, fieldNames: ["text", "collection", "book"])
        for (input, expected) in Self.rows {
            let query = (try? parser.parse(input))?.description ?? "threw"
            #expect(query == expected, "\(input)")
        }
    }

    @Test func arabicOperatorsStandAlone() throws {
        let parser = QueryParser(arabicOperators: true)
        let rows: [(String, String)] = [
            ("الصلاة و الزكاة", "(+الصلاة +الزكاة)"),
            ("الصلاة أو الزكاة", "(الصلاة الزكاة)"),
            ("الصلاة او الزكاة", "(الصلاة الزكاة)"),
            ("الصلاة ليس الزكاة", "(الصلاة -الزكاة)"),
            ("والزكاة", "والزكاة"),                     // attached: a word
            ("الصلاة \\و الزكاة", "(الصلاة و الزكاة)"),   // escaped: the word
        ]
        for (input, expected) in rows { #expect(try parser.parse(input).description == expected, "\(input)") }
        #expect(try QueryParser().parse("الصلاة و الزكاة").description == "(الصلاة و الزكاة)")  // off by default
    }

    /// Random inputs from the syntax's alphabet: lenient never throws, and where strict
    /// parses, lenient gives the same query.
    @Test func lenientNeverFailsAndKeepsWhatIsWellFormed() {
        let iterations = (Int(ProcessInfo.processInfo.environment["FIHRIS_FUZZ_ITERATIONS"] ?? "") ?? 1_000_000) / 5
        let alphabet: [String] = ["a", "b", "كتاب", "ال", " ", " ", "(", ")", "\"", ":", "[", "]", "{", "}", "~", "2", "*", "\\",
                                  "+", "-", "!", "AND", "OR", "NOT", "&&", "||", "TO", ">", ">=", "<", "^", "field", "\u{200F}", "é"]
        var rng = SplitMix(seed: 20261201)
        let strict = QueryParser(), lenient = QueryParser(mode: .lenient)
        var repaired = 0
        for _ in 0..<iterations {
            var text = ""
            for _ in 0..<Int(rng.next() % 12) { text += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let loose: Query
            do { loose = try lenient.parse(text) } catch { Issue.record("lenient threw on \(text): \(error)"); continue }
            if let parsed = try? strict.parse(text) {
                #expect(loose == parsed, "\(text)")
            } else {
                repaired += 1
            }
        }
        #expect(repaired > iterations / 4)
    }
}
