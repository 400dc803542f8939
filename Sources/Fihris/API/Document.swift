/// A document to index or a stored document returned with a hit.
///
/// Text fields are analyzed and searchable; numbers and booleans are stored with the
/// document (filters and sorting on them come with the schema).
public struct Document: Sendable, Equatable {
    /// The caller's identifier: unique in an index.
    public var id: String
    /// A short human label (the first line of a text file, a `title` field...).
    public var title: String
    /// The fields, in the order they were given.
    public var fields: [Field]

    public init(id: String, title: String = "", fields: [Field] = []) {
        self.id = id
        self.title = title
        self.fields = fields
    }

    public init(id: String, title: String = "", text: String) {
        self.init(id: id, title: title, fields: [Field("text", .text(text))])
    }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: FieldValue
        public init(_ name: String, _ value: FieldValue) {
            self.name = name
            self.value = value
        }
    }

    /// The first field with that name.
    public subscript(field name: String) -> FieldValue? {
        fields.first { $0.name == name }?.value
    }
}
