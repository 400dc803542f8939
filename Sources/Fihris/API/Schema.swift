import Foundation

/// The fields of an index. Stored in the index; grows by inference when documents bring
/// new fields (strings → text, integers → integer, other numbers → double, booleans →
/// keyword), unless `inferNewFields` is false. A schema file given when an index is created
/// overrides the inference (e.g. `collection` as keyword):
///
///     {"fields": [{"name": "collection", "type": "keyword"},
///                 {"name": "book", "type": "integer"},
///                 {"name": "text", "type": "text", "analyzer": "arabic", "stopWords": true}],
///      "inferNewFields": true,
///      "bm25": {"k1": 1.2, "b": 0.75, "exactMatchWeight": 0.5},
///      "defaultOperator": "or"}
public struct Schema: Codable, Sendable, Equatable {
    /// The fields; a field's number is its index here (at most 255 fields).
    public private(set) var fields: [FieldDefinition]
    public var inferNewFields: Bool
    /// BM25 parameters for searches that do not set their own (nil: k1 1.2, b 0.75).
    public var bm25: BM25?
    /// The operator between adjacent query words when a search does not set one (nil: OR).
    public var defaultOperator: QueryParser.DefaultOperator?

    public static let maximumFields = 255

    /// A schema with no fields yet (they are inferred from documents).
    static func empty() -> Schema {
        var schema = Schema(uncheckedFields: [])
        schema.inferNewFields = true
        return schema
    }

    private init(uncheckedFields: [FieldDefinition]) {
        fields = uncheckedFields
        inferNewFields = true
    }

    public init(fields: [FieldDefinition] = [], inferNewFields: Bool = true) throws(FihrisError) {
        self.fields = []
        self.inferNewFields = inferNewFields
        for field in fields { try add(field) }
    }

    /// Synonym groups applied to every search (`Synonyms`; `SearchOptions.synonyms`
    /// replaces them for one search). In a schema file: `"synonyms": "file.txt"` (relative
    /// to the schema file) or the groups as arrays.
    public var synonyms: Synonyms?
    /// A synonyms file named by a schema file, read by `load(from:)`.
    private var synonymsFile: String?

    enum CodingKeys: String, CodingKey { case fields, inferNewFields, bm25, defaultOperator, synonyms }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let fields = try c.decodeIfPresent([FieldDefinition].self, forKey: .fields) ?? []
        let infer = try c.decodeIfPresent(Bool.self, forKey: .inferNewFields) ?? true
        try self.init(fields: fields, inferNewFields: infer)
        bm25 = try c.decodeIfPresent(BM25.self, forKey: .bm25)
        if let op = try c.decodeIfPresent(String.self, forKey: .defaultOperator) {
            guard let parsed = QueryParser.DefaultOperator(rawValue: op) else {
                throw FihrisError(.invalidArgument, "defaultOperator must be \"or\" or \"and\" (got \"\(op)\")")
            }
            defaultOperator = parsed
        }
        if let file = try? c.decode(String.self, forKey: .synonyms) {
            synonymsFile = file
        } else {
            synonyms = try c.decodeIfPresent(Synonyms.self, forKey: .synonyms)
        }
        if let bm25, !(bm25.k1 >= 0 && bm25.b >= 0 && bm25.b <= 1) {
            throw FihrisError(.invalidArgument, "bm25 needs k1 ≥ 0 and 0 ≤ b ≤ 1 (got k1 \(bm25.k1), b \(bm25.b))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fields, forKey: .fields)
        try c.encode(inferNewFields, forKey: .inferNewFields)
        try c.encodeIfPresent(bm25, forKey: .bm25)
        try c.encodeIfPresent(defaultOperator, forKey: .defaultOperator)
        try c.encodeIfPresent(synonyms, forKey: .synonyms)
    }

    /// Reads a schema file (JSON, see the type's documentation).
    public static func load(from path: String) throws(FihrisError) -> Schema {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FihrisError(.io, "cannot read schema file \(path): \(FolderSource.reason(error))")
        }
        do {
            var schema = try JSONDecoder().decode(Schema.self, from: data)
            if let file = schema.synonymsFile {
                let full = file.hasPrefix("/") ? file : (URL(fileURLWithPath: path).deletingLastPathComponent().path + "/" + file)
                schema.synonyms = try Synonyms.load(from: full)
                schema.synonymsFile = nil
            }
            return schema
        } catch let error as FihrisError {
            throw FihrisError(error.code, "schema file \(path): \(error.message)")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            let expected = context.codingPath.last?.stringValue == "type" ? " (types: \(FieldType.allCases.map(\.rawValue).joined(separator: ", ")))"
                : context.codingPath.last?.stringValue == "analyzer" ? " (analyzers: \(AnalyzerKind.allCases.map(\.rawValue).joined(separator: ", ")))" : ""
            throw FihrisError(.invalidArgument, "schema file \(path): \(Self.where(context))\(context.debugDescription)\(expected)")
        } catch let DecodingError.dataCorrupted(context) {
            throw FihrisError(.invalidArgument, "schema file \(path) is not valid JSON: \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw FihrisError(.invalidArgument, "schema file \(path): \(Self.where(context))missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw FihrisError(.invalidArgument, "schema file \(path): \(Self.where(context))\(context.debugDescription)")
        } catch {
            throw FihrisError(.invalidArgument, "schema file \(path): \(error)")
        }
    }

    private static func `where`(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "" : "at \(path): "
    }

    mutating func add(_ field: FieldDefinition) throws(FihrisError) {
        guard !field.name.isEmpty else { throw FihrisError(.invalidArgument, "a field needs a name") }
        guard fieldNumber(field.name) == nil else {
            throw FihrisError(.invalidArgument, "field \"\(field.name)\" is defined twice")
        }
        guard fields.count < Self.maximumFields else {
            throw FihrisError(.invalidArgument, "an index has at most \(Self.maximumFields) fields; \"\(field.name)\" would be one more")
        }
        if field.analyzer != nil && field.type != .text {
            throw FihrisError(.invalidArgument, "field \"\(field.name)\" is \(field.type.rawValue): only text fields take an analyzer")
        }
        fields.append(field)
    }

    /// The number of the field called `name`, or nil.
    public func fieldNumber(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }

    public subscript(name: String) -> FieldDefinition? { fieldNumber(name).map { fields[$0] } }

    /// The numbers of the text fields (what a query without a field searches).
    public var textFields: [Int] { fields.indices.filter { fields[$0].type == .text } }

    /// Rules for inferring a string field as `keyword` (`inferKeywordFields`): at least
    /// `documents` values in the batch that brings the field, each at most `bytes` long and
    /// of at most `words` words, with at most `distinct` different values (or one in 50).
    public enum KeywordInference {
        public static let documents = 20, bytes = 64, words = 4, distinct = 16
    }

    /// Infers as `keyword` the new string fields of a batch of documents whose values look
    /// like labels rather than text — short and few (`collection`: 2 values in 14,940
    /// documents) — so they filter and facet as fast as a declared keyword; every other
    /// new string field is left to `accept` (text). Only with inference on.
    mutating func inferKeywordFields(_ documents: [Document]) {
        guard inferNewFields, documents.count >= KeywordInference.documents else { return }
        var values: [String: Set<String>] = [:], counts: [String: Int] = [:], rejected: Set<String> = []
        for document in documents {
            for field in document.fields where fieldNumber(field.name) == nil && !rejected.contains(field.name) {
                guard case .text(let s) = field.value, s.utf8.count <= KeywordInference.bytes,
                      s.split(whereSeparator: \.isWhitespace).count <= KeywordInference.words else {
                    rejected.insert(field.name); values[field.name] = nil; continue
                }
                values[field.name, default: []].insert(s)
                counts[field.name, default: 0] += 1
                // (The most any field of this batch may have: it cannot pass later.)
                if values[field.name]!.count > max(KeywordInference.distinct, documents.count / 50) {
                    rejected.insert(field.name); values[field.name] = nil
                }
            }
        }
        for (name, distinct) in values.sorted(by: { $0.key < $1.key }) where !rejected.contains(name) {
            let count = counts[name] ?? 0
            guard count >= KeywordInference.documents, distinct.count <= max(KeywordInference.distinct, count / 50) else { continue }
            try? add(FieldDefinition(name: name, type: .keyword))
        }
    }

    /// Adds the fields `document` brings that the schema does not know (when inference is
    /// on), then checks every value against its field. Errors name the document and field.
    mutating func accept(_ document: Document) throws(FihrisError) {
        for field in document.fields {
            if let number = fieldNumber(field.name) {
                try Self.check(field.value, against: fields[number], document: document.id)
                continue
            }
            guard inferNewFields else {
                throw FihrisError(.schemaMismatch,
                    "document \"\(document.id)\": field \"\(field.name)\" is not in the schema (and inferNewFields is off)")
            }
            let type: FieldType
            switch field.value {
            case .text: type = .text
            case .integer: type = .integer
            case .double: type = .double
            case .bool: type = .keyword
            }
            try add(FieldDefinition(name: field.name, type: type))
        }
    }

    static func check(_ value: FieldValue, against field: FieldDefinition, document: String) throws(FihrisError) {
        switch (field.type, value) {
        case (.integer, .integer(Int64.max)):
            throw FihrisError(.invalidDocument,
                "document \"\(document)\": field \"\(field.name)\" has the value \(Int64.max), which an integer field cannot hold (it marks a document without a value)")
        case (.text, .text), (.keyword, _), (.integer, .integer), (.double, .integer), (.double, .double):
            return
        case (.text, _):
            return  // numbers and booleans in a text field are indexed as their text
        case (.integer, .double(let d)) where d.rounded() == d && abs(d) < 9.2e18:  // (below Int64.max)
            return
        default:
            throw FihrisError(.schemaMismatch,
                "document \"\(document)\": field \"\(field.name)\" is \(field.type.rawValue) in the schema, but has the value \(Self.describe(value))")
        }
    }

    static func describe(_ value: FieldValue) -> String {
        switch value {
        case .text(let s): "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\" (text)"
        case .integer(let i): "\(i) (integer)"
        case .double(let d): "\(d) (number)"
        case .bool(let b): "\(b) (boolean)"
        }
    }
}
