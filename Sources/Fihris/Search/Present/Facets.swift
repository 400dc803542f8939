enum Facets {
    /// Counts of a keyword field's values over the matched documents (a bitmap by document
    /// number), most frequent first, ties by value.
    static func counts(_ name: String, matched: [UInt64], snapshot: IndexSnapshot) throws -> [FacetCount] {
        let schema = snapshot.schema
        if let colon = name.firstIndex(of: ":") {
            return try rangeCounts(String(name[..<colon]), String(name[name.index(after: colon)...]), matched: matched, snapshot: snapshot)
        }
        let field = try number(of: name, schema)
        guard schema.fields[field].type == .keyword else {
            let numeric = schema.fields[field].type == .integer || schema.fields[field].type == .double
            throw FihrisError(.invalidArgument, "facets need a keyword field; \"\(name)\" is \(schema.fields[field].type.rawValue)"
                              + (numeric ? " (count ranges of it: \(name):0-10,10-20,20-)" : ""))
        }
        let values = try snapshot.distinctTerms(field: field, kind: .keyword)
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

    /// The number of the field a facet names.
    private static func number(of name: String, _ schema: Schema) throws(FihrisError) -> Int {
        guard let field = schema.fieldNumber(name) else {
            throw FihrisError(.invalidArgument, "cannot count facets of \"\(name)\": no such field (fields: \(schema.fields.map(\.name).joined(separator: ", ")))")
        }
        return field
    }

    /// Counts of a numeric field's values in ranges over the matched documents, in the
    /// ranges' order (a document in several ranges counts in each).
    static func rangeCounts(_ name: String, _ spec: String, matched: [UInt64], snapshot: IndexSnapshot) throws -> [FacetCount] {
        let schema = snapshot.schema
        let field = try number(of: name, schema)
        let type = schema.fields[field].type
        guard type == .integer || type == .double else {
            throw FihrisError(.invalidArgument, "range facets need an integer or double field; \"\(name)\" is \(type.rawValue)")
        }
        let ranges = try FacetRange.parse(spec, field: name)
        var counts = [Int](repeating: 0, count: ranges.count)
        var column = snapshot.column(field)
        for (w, word) in matched.enumerated() where word != 0 {
            var x = word
            while x != 0 {
                let d = w * 64 + x.trailingZeroBitCount
                x &= x - 1
                guard let v = try column.number(d, isDouble: type == .double) else { continue }
                for (i, r) in ranges.enumerated() where r.contains(v) { counts[i] += 1 }
            }
        }
        return zip(ranges, counts).map { FacetCount(value: $0.label, count: $1) }
    }
}
