enum Facets {
    /// Counts of a keyword field's values over the matched documents (a bitmap by document
    /// number), most frequent first, ties by value.
    static func counts(_ name: String, matched: [UInt64], snapshot: IndexSnapshot) throws -> [FacetCount] {
        let schema = snapshot.schema
        guard let field = schema.fieldNumber(name) else {
            throw FihrisError(.invalidArgument, "cannot count facets of \"\(name)\": no such field (fields: \(schema.fields.map(\.name).joined(separator: ", ")))")
        }
        guard schema.fields[field].type == .keyword else {
            throw FihrisError(.invalidArgument, "facets need a keyword field; \"\(name)\" is \(schema.fields[field].type.rawValue)")
        }
        var values = Set<[UInt8]>()
        for segment in snapshot.segments {
            try snapshot.forEachTerm(segment: segment.id, field: field, kind: .keyword, from: []) { value, _ in
                values.insert(Array(value))
                return true
            }
        }
        var counts: [FacetCount] = []
        try ScratchArena.scoped { arena in
            var cursor = PostingCursor(PostingList(chunks: [], positions: []), arena: &arena)
            for value in values {
                guard let list = try snapshot.postings(TermID(field: field, kind: .keyword, text: value)) else { continue }
                cursor.reset(to: list)
                var count = 0
                while try cursor.next() != noMoreDocs {
                    let d = cursor.doc
                    if d >> 6 < matched.count, matched[d >> 6] & (1 << UInt64(d & 63)) != 0 { count += 1 }
                }
                if count > 0 { counts.append(FacetCount(value: String(decoding: value, as: UTF8.self), count: count)) }
            }
        }
        return counts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }
}
