/// CSV (RFC 4180) and TSV files: the first row names the columns, each later row is one
/// document. Read from chunks of bytes, so memory is a chunk and a row whatever the size.
///
/// Grammar (separator `,` for CSV, tab for TSV):
///
///     file   = [BOM] header { NL row } [NL]
///     row    = cell { separator cell }
///     cell   = quoted | bare
///     quoted = '"' { any byte but '"' | '""' } '"'        ; may hold separators and newlines
///     bare   = { any byte but separator, '"' at its start, CR, LF }
///     NL     = LF | CR LF
///
/// - id: the `id` column, else `path:line` (the row's first line); title: the `title`
///   column, else empty. Each other non-empty cell is a field named by its column: as the
///   schema declares it (integer, double: parsed, an error naming `path:line:column` when it
///   is not a number), else an integer when it is one (without leading zeros), a number
///   when it is a decimal, else text.
/// - A row with more cells than the header, an unterminated quote, or text that is not
///   UTF-8 is an error naming `path:line` (skipped with `skipInvalid`); fewer cells leave
///   the missing fields out. Blank lines are skipped.
struct DelimitedReader {
    let name: String
    let separator: UInt8

    private enum State { case cellStart, bare, quoted, quoteInQuoted }

    /// `fieldType` says how the schema declares a column's field (nil: not declared).
    func read(_ source: some ByteChunks, skipInvalid: ((FihrisError) -> Void)?,
              fieldType: (String) -> FieldType?, _ body: (Document) throws -> Void) throws {
        var header: [String]?
        var cells: [[UInt8]] = []
        var cell: [UInt8] = []
        var state = State.cellStart
        var line = 1, rowLine = 1
        var bomChecked = false
        var rowProblem: String?

        func endRow() throws {
            defer { cells.removeAll(keepingCapacity: true); rowProblem = nil; rowLine = line }
            if cells.count == 1 && cells[0].isEmpty { return }   // a blank line
            if let problem = rowProblem { return try report(problem, line: rowLine) }
            guard let names = header else {
                var names: [String] = []
                for (i, c) in cells.enumerated() {
                    guard let s = String(validating: c, as: UTF8.self) else {
                        throw FihrisError(.invalidDocument, "\(name):\(rowLine): column \(i + 1) of the header is not UTF-8")
                    }
                    names.append(s.trimmingSpaces)
                }
                if let empty = names.firstIndex(of: "") {
                    throw FihrisError(.invalidDocument, "\(name):\(rowLine): column \(empty + 1) of the header row has no name")
                }
                header = names
                return
            }
            guard cells.count <= names.count else {
                return try report("\(cells.count) cells in a row, but the header names \(names.count) columns", line: rowLine)
            }
            var document = Document(id: "\(name):\(rowLine)")
            for (i, raw) in cells.enumerated() where !raw.isEmpty {
                guard let value = String(validating: raw, as: UTF8.self) else {
                    return try report("column \"\(names[i])\" is not UTF-8; convert the file first, e.g. `iconv -f WINDOWS-1256 -t UTF-8`", line: rowLine)
                }
                let column = names[i]
                if column == "id" { document.id = value; continue }
                if column == "title" { document.title = value }
                switch fieldType(column) {
                case .integer?:
                    guard let n = Int64(value.trimmingSpaces) else { return try report("column \"\(column)\" is an integer field, but holds \"\(value.prefix(40))\"", line: rowLine) }
                    document.fields.append(.init(column, .integer(n)))
                case .double?:
                    guard let d = Double(value.trimmingSpaces), d.isFinite else { return try report("column \"\(column)\" is a number field, but holds \"\(value.prefix(40))\"", line: rowLine) }
                    document.fields.append(.init(column, .double(d)))
                case .text?, .keyword?:
                    document.fields.append(.init(column, .text(value)))
                case nil:
                    document.fields.append(.init(column, Self.inferred(value)))
                }
            }
            do {
                try body(document)
            } catch let error as FihrisError where error.code == .schemaMismatch {
                try report(error.message, line: rowLine, code: .schemaMismatch)
            }
        }

        func report(_ problem: String, line: Int, code: FihrisError.Code = .invalidDocument) throws {
            let error = FihrisError(code, "\(name):\(line): \(problem)")
            guard let skipInvalid else { throw error }
            skipInvalid(error)
        }

        func feed(_ b: UInt8) throws {
            switch state {
            case .cellStart, .bare:
                if b == separator { cells.append(cell); cell.removeAll(keepingCapacity: true); state = .cellStart }
                else if b == 0x0A {
                    if cell.last == 0x0D { cell.removeLast() }
                    cells.append(cell); cell.removeAll(keepingCapacity: true); state = .cellStart
                    line += 1
                    try endRow()
                } else if b == 0x22 && state == .cellStart { state = .quoted }
                else { cell.append(b); state = .bare }
            case .quoted:
                if b == 0x22 { state = .quoteInQuoted } else { cell.append(b); if b == 0x0A { line += 1 } }
            case .quoteInQuoted:
                if b == 0x22 { cell.append(b); state = .quoted }
                else if b == separator { cells.append(cell); cell.removeAll(keepingCapacity: true); state = .cellStart }
                else if b == 0x0A {
                    cells.append(cell); cell.removeAll(keepingCapacity: true); state = .cellStart
                    line += 1
                    try endRow()
                } else if b == 0x0D { return }
                else {
                    // Text after a closing quote: kept, and the row noted (RFC 4180 forbids it).
                    if rowProblem == nil { rowProblem = "text after a closing quote (a quote inside a cell is written \"\")" }
                    cell.append(b); state = .bare
                }
            }
        }
        // The first three bytes wait until it is known whether they are a byte-order mark.
        var head: [UInt8] = []
        func feedHead() throws {
            bomChecked = true
            for b in head.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(head.dropFirst(3)) : head { try feed(b) }
        }
        try source.forEach { chunk in
            for b in chunk.bindMemory(to: UInt8.self) {
                if !bomChecked {
                    head.append(b)
                    if head.count == 3 { try feedHead() }
                    continue
                }
                try feed(b)
            }
        }
        if !bomChecked { try feedHead() }
        if state == .quoted {
            try report("a quoted cell is not closed before the end of the file", line: rowLine)
            return
        }
        if !(cells.isEmpty && cell.isEmpty) || state == .quoteInQuoted {
            if cell.last == 0x0D { cell.removeLast() }
            cells.append(cell)
            try endRow()
        }
    }

    /// An undeclared column's value: an integer, a number, or text.
    static func inferred(_ value: String) -> FieldValue {
        let utf8 = value.utf8
        let digits = utf8.first == 0x2D ? utf8.dropFirst() : utf8[...]
        if !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
           digits.first != 0x30 || digits.count == 1, let n = Int64(value) {
            return .integer(n)
        }
        if utf8.contains(0x2E), utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }),
           let d = Double(value), d.isFinite, !(digits.first == 0x30 && digits.count > 1 && digits.dropFirst().first != 0x2E) {
            return .double(d)
        }
        return .text(value)
    }
}

extension String {
    /// Without spaces and tabs at either end.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
