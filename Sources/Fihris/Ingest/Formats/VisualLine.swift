/// One line of a PDF page as its glyphs are painted (visual order, left to right), turned
/// into text in logical (reading) order.
///
/// PDF text extraction fails on right-to-left scripts in two known ways (pdfminer.six #850,
/// PyMuPDF #2199, pypdf #1589, PDFBox-4531), and poppler's `pdftotext` showed both on the
/// LibreOffice-made Arabic PDFs of the tests: a ligature glyph (lam-alef, لا لأ لإ لآ)
/// maps to its letters in logical order, and reversing the line letter by letter turns
/// them around (السلام → السالم, الإيمان → اإليمان); and harakat, painted as glyphs of
/// their own, land on the wrong letter or line. Here the unit of reordering is the glyph
/// cluster, not the character:
///
/// 1. A character of zero width that is not a mark continues the glyph before it (the
///    second letter of a ligature).
/// 2. A nonspacing mark (harakat, shadda, superscript alef) joins the base glyph under it:
///    in a right-to-left line the rightmost base whose box, widened by a quarter of the
///    line's height on the left, holds the mark's position; in a left-to-right line the
///    last base that starts at or before it.
/// 3. Clusters are ordered by position (left to right). A line with more right-to-left
///    letters than left-to-right ones (digits not counted) is reversed, then each run of
///    left-to-right clusters (Latin letters, digits, and the neutrals between two of them)
///    is turned back; in a left-to-right line only the runs of right-to-left clusters
///    (letters and the neutrals between two of them) are reversed. (The rules of UAX #9
///    for visual-to-logical order in the cases that occur on a page of text: numbers and
///    Latin words inside Arabic, Arabic inside Latin. Not covered: a number written just
///    before a Latin word inside Arabic (`الدين 1234 Bukhari` reads `الدين Bukhari 1234`;
///    UAX #9 makes them two runs, here they are one), and explicit embeddings.)
struct VisualLine {
    struct Glyph {
        var scalars: [Unicode.Scalar]
        var x0: Double, x1: Double
    }
    private var glyphs: [Glyph] = []
    private var marks: [(Unicode.Scalar, Double)] = []
    private var height = 0.0

    var isEmpty: Bool { glyphs.isEmpty }

    /// Adds a character as painted: its box from x0 to x1 and its height.
    mutating func add(_ scalar: Unicode.Scalar, x0: Double, x1: Double, height: Double) {
        self.height = max(self.height, height)
        if Self.isMark(scalar) {
            marks.append((scalar, x0))
        } else if x1 - x0 < 0.01, !glyphs.isEmpty, scalar != " " {
            glyphs[glyphs.count - 1].scalars.append(scalar)
        } else {
            glyphs.append(Glyph(scalars: [scalar], x0: x0, x1: x1))
        }
    }

    /// The line's text in logical order.
    func text() -> String {
        guard !glyphs.isEmpty else { return String(String.UnicodeScalarView(marks.map(\.0))) }
        var clusters = glyphs.enumerated().sorted { a, b in a.element.x0 != b.element.x0 ? a.element.x0 < b.element.x0 : a.offset < b.offset }.map(\.element)
        // The line's direction: that of most of its letters (digits read left to right in
        // both, so they do not count).
        var rtl = 0, ltr = 0
        for cluster in clusters {
            switch Self.direction(cluster.scalars[0]) {
            case .rightToLeft: rtl += 1
            case .leftToRight: if !Self.isDigit(cluster.scalars[0]) { ltr += 1 }
            default: break
            }
        }
        let rightToLeft = rtl > ltr
        // Marks onto their bases.
        let slack = height / 4
        for (mark, x) in marks {
            var chosen: Int?
            if rightToLeft {
                for (i, c) in clusters.enumerated() where c.x0 - slack <= x && x <= c.x1 + 0.01 { chosen = i }
                if chosen == nil { chosen = clusters.firstIndex { $0.x0 >= x } ?? clusters.count - 1 }
            } else {
                chosen = clusters.lastIndex { $0.x0 <= x + 0.01 } ?? 0
            }
            clusters[chosen!].scalars.append(mark)
        }
        if rightToLeft {
            clusters.reverse()
            Self.reverseRuns(&clusters, of: .leftToRight)
        } else if rtl > 0 {
            Self.reverseRuns(&clusters, of: .rightToLeft)
        }
        var view = String.UnicodeScalarView()
        for cluster in clusters { view.append(contentsOf: cluster.scalars) }
        return String(view)
    }

    /// Reverses each maximal run of clusters of `direction` (neutrals between two of them
    /// included) in place.
    private static func reverseRuns(_ clusters: inout [Glyph], of direction: Direction) {
        var i = 0
        while i < clusters.count {
            guard Self.direction(clusters[i].scalars[0]) == direction else { i += 1; continue }
            var end = i      // last cluster of the run
            var j = i + 1
            while j < clusters.count {
                let d = Self.direction(clusters[j].scalars[0])
                if d == direction { end = j } else if d != .neutral { break }
                j += 1
            }
            clusters[i...end].reverse()
            i = end + 1
        }
    }

    enum Direction { case leftToRight, rightToLeft, neutral }

    /// Strong direction of a character: right-to-left letters (Hebrew, Arabic, Syriac,
    /// Thaana, N'Ko and their presentation forms); left-to-right letters and all digits
    /// (numbers read left to right in both); the rest neutral.
    static func direction(_ s: Unicode.Scalar) -> Direction {
        let v = s.value
        if (0x0660...0x0669).contains(v) || (0x06F0...0x06F9).contains(v) || (0x30...0x39).contains(v) { return .leftToRight }
        if (0x0590...0x08FF).contains(v) || (0xFB1D...0xFDFF).contains(v) || (0xFE70...0xFEFF).contains(v) || (0x10800...0x10FFF).contains(v)
            || (0x1E800...0x1EFFF).contains(v) {
            return s.properties.isAlphabetic || s.properties.generalCategory == .otherLetter ? .rightToLeft : .neutral
        }
        if s.properties.isAlphabetic || s.properties.numericType != nil { return .leftToRight }
        return .neutral
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x30...0x39).contains(v) || (0x0660...0x0669).contains(v) || (0x06F0...0x06F9).contains(v)
    }

    static func isMark(_ s: Unicode.Scalar) -> Bool {
        s.value >= 0x300 && (s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark)
    }
}
