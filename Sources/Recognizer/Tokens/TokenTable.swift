import Foundation

/// The model's output vocabulary: `tokens.txt` with one `piece id` per line, as the sherpa-onnx
/// model zoo ships it. Word pieces mark the start of a word with `▁` (U+2581).
public struct TokenTable: Sendable {
    /// The word-boundary marker of sentencepiece BPE pieces.
    public static let wordBoundary: Character = "\u{2581}"

    /// Pieces indexed by token id.
    public let pieces: [String]
    /// The blank symbol: always id 0 in these transducers.
    public let blankID: Int = 0
    /// The id of `<unk>`, if the table has one. The search treats it like blank, as the reference does.
    public let unknownID: Int?

    public var count: Int { pieces.count }

    /// A table from pieces in id order.
    public init(pieces: [String]) {
        self.pieces = pieces
        self.unknownID = pieces.firstIndex(of: "<unk>")
    }

    /// Reads `tokens.txt`.
    public init(path: String) throws {
        guard let data = WholeFile.data(atPath: path) else {
            throw TokenTableError(path: path, cause: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenTableError(path: path, cause: "not UTF-8 text")
        }
        try self.init(contents: text, path: path)
    }

    /// Parses the text of a `tokens.txt`; `path` only names the source in errors.
    public init(contents: String, path: String) throws {
        var byID: [Int: String] = [:]
        var lineNumber = 0
        for line in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            // The id is the last field; the piece is everything before it.
            guard let space = trimmed.lastIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw TokenTableError(path: path, cause: "line \(lineNumber): expected 'piece id'")
            }
            let piece = String(trimmed[..<space]).trimmingCharacters(in: .whitespaces)
            guard let id = Int(trimmed[trimmed.index(after: space)...]), id >= 0, !piece.isEmpty else {
                throw TokenTableError(path: path, cause: "line \(lineNumber): expected 'piece id'")
            }
            guard byID[id] == nil else {
                throw TokenTableError(path: path, cause: "line \(lineNumber): id \(id) appears twice")
            }
            byID[id] = piece
        }
        guard !byID.isEmpty else { throw TokenTableError(path: path, cause: "no tokens") }
        let count = byID.count
        guard let largest = byID.keys.max(), largest == count - 1 else {
            throw TokenTableError(path: path, cause: "ids are not 0..<\(count)")
        }
        self.init(pieces: (0..<count).map { byID[$0]! })
    }

    /// The piece of `id`, or nil outside the table.
    public func piece(_ id: Int) -> String? {
        pieces.indices.contains(id) ? pieces[id] : nil
    }

    /// Whether `id` begins a new word (its piece starts with `▁`).
    public func startsWord(_ id: Int) -> Bool {
        piece(id)?.first == Self.wordBoundary
    }

    /// Whether `piece` is a symbol such as `<blk>`, `<unk>` or `<sos/eos>`, not text.
    public static func isSymbol(_ piece: String) -> Bool {
        piece.hasPrefix("<") && piece.hasSuffix(">")
    }

    /// Per token id, whether the piece goes on with the word before it: an ordinary piece without
    /// `▁`, in a table that marks words with `▁` at all. A character of a script written without
    /// spaces (CJK ideographs, kana) is a word of its own.
    public var continuesWord: [Bool] {
        guard pieces.contains(where: { $0.first == Self.wordBoundary }) else { return Array(repeating: false, count: count) }
        return pieces.indices.map { id in
            let piece = pieces[id]
            guard id != blankID, id != unknownID, piece.first != Self.wordBoundary, !Self.isSymbol(piece),
                  let first = piece.unicodeScalars.first else { return false }
            return !(first.properties.isIdeographic || (0x3040...0x30FF).contains(first.value))
        }
    }

    /// The text of a token sequence: pieces joined, `▁` read as a space, `<unk>` dropped, ends trimmed,
    /// in the case the model produces (upper case for this model).
    public func text(of tokens: [Int]) -> String {
        var text = ""
        for id in tokens {
            guard let piece = piece(id), id != unknownID else { continue }
            text += piece
        }
        return text.replacingOccurrences(of: String(Self.wordBoundary), with: " ")
            .trimmingCharacters(in: .whitespaces)
    }
}

/// A token table that cannot be read.
public struct TokenTableError: Error, CustomStringConvertible {
    public let path: String
    public let cause: String
    public var description: String { "\(path): \(cause)" }
}
