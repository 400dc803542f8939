import LMDBStore
import PostingsCodec

/// The LMDB databases of an index (format 1) and their keys. See docs/FORMAT.md.
struct IndexLayout {
    /// Bumped whenever the on-disk layout changes; checked when an index is opened.
    static let formatVersion: UInt32 = 2

    static let metaName = "meta"
    static let termsName = "terms"
    static let stemsName = "stems"
    static let docsName = "docs"
    static let idsName = "ids"

    enum MetaKey {
        static let format = Array("format".utf8)
        static let documents = Array("documents".utf8)
        static let tokens = Array("tokens".utf8)
        static let norms = Array("norms".utf8)
    }

    let meta: Database
    let terms: Database
    let stems: Database
    let docs: Database
    let ids: Database

    /// Document numbers are keys in big-endian order so LMDB's byte order is numeric order.
    static func documentKey(_ number: UInt32) -> [UInt8] {
        withUnsafeBytes(of: number.bigEndian) { Array($0) }
    }

    static func uint64(_ buffer: UnsafeRawBufferPointer?) -> UInt64 {
        guard let buffer, buffer.count == 8 else { return 0 }
        return buffer.loadUnaligned(as: UInt64.self).littleEndian
    }

    static func bytes(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

/// A stored document, as kept in the `docs` database:
///
///     StoredDocument := id:string title:string fieldCount:varint Field{fieldCount}
///     Field := name:string kind:u8 value       (kind 0 text:string, 1 integer:u64le,
///                                               2 double:u64le bit pattern, 3 bool:u8)
///     string := length:varint utf8-bytes
enum StoredDocumentCodec {
    static func encode(_ document: Document) -> [UInt8] {
        var out: [UInt8] = []
        out.appendString(document.id)
        out.appendString(document.title)
        Varint.append(document.fields.count, to: &out)
        for field in document.fields {
            out.appendString(field.name)
            switch field.value {
            case .text(let s): out.append(0); out.appendString(s)
            case .integer(let i): out.append(1); out.appendUInt64LE(UInt64(bitPattern: i))
            case .double(let d): out.append(2); out.appendUInt64LE(d.bitPattern)
            case .bool(let b): out.append(3); out.append(b ? 1 : 0)
            }
        }
        return out
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> Document {
        var reader = ByteReader(bytes)
        let id = try reader.string()
        let title = try reader.string()
        let count = try reader.int()
        guard count <= reader.remaining else { throw CodecError("field count \(count) exceeds the record") }
        var fields: [Document.Field] = []
        fields.reserveCapacity(count)
        for _ in 0..<count {
            let name = try reader.string()
            let kind = try reader.bytes(1)[0]
            let value: FieldValue
            switch kind {
            case 0: value = .text(try reader.string())
            case 1: value = .integer(Int64(bitPattern: try reader.uint64LE()))
            case 2: value = .double(Double(bitPattern: try reader.uint64LE()))
            case 3: value = .bool(try reader.bytes(1)[0] != 0)
            default: throw CodecError("unknown field kind \(kind)")
            }
            fields.append(Document.Field(name, value))
        }
        if !reader.isAtEnd { throw CodecError("trailing bytes in a stored document") }
        return Document(id: id, title: title, fields: fields)
    }
}
