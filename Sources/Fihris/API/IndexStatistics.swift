/// Figures about an index (`fihris stats`).
public struct IndexStatistics: Sendable {
    public struct Field: Sendable {
        public let name: String
        public let type: FieldType
        /// Live documents with a value in the field (text fields).
        public let documents: UInt64
        /// Tokens in the field over live documents (text fields).
        public let tokens: UInt64
        /// Distinct terms (exact forms, stems or keyword values).
        public let terms: Int
    }
    public struct DatabaseSize: Sendable {
        public let name: String
        public let entries: Int
        public let bytes: Int
    }
    public let documents: Int
    /// Documents deleted whose numbers are still reserved.
    public let deletedDocuments: Int
    /// Deleted documents whose postings a segment still holds (they count in document
    /// frequencies) until a merge or `optimize` drops them; 0 after `optimize`.
    public let deletedInPostings: Int
    public let fields: [Field]
    /// Distinct (field, kind, term) posting lists.
    public let postingLists: Int
    /// Posting chunks: one per term per segment holding it.
    public let chunks: Int
    /// Segments: one per commit until the merge policy combines them.
    public let segments: Int
    public let databases: [DatabaseSize]
    /// Bytes of keys and values of the `postings` and `positions` databases by term kind
    /// (what the index spends on exact forms, stems, keyword values, vocalized stems and
    /// roots; page overhead not counted).
    public struct TermKindSize: Sendable {
        /// "exact", "stem", "keyword", "vocalized" or "root".
        public let kind: String
        public let postingLists: Int
        public let postingBytes: Int
        public let positionBytes: Int
    }
    public let termKinds: [TermKindSize]
    /// Bytes of data.mdb on disk.
    public let fileBytes: Int
    public let formatVersion: UInt32
}
