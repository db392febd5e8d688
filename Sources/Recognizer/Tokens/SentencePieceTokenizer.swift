/// Splits text into the pieces of a sentencepiece unigram model as sentencepiece's `Encode` does:
/// normalize, then the Viterbi path of highest total piece score over the UTF-8 bytes (ties keep the
/// piece that starts first), characters no piece covers as `<unk>` (runs merged, or UTF-8 byte pieces
/// with byte fallback).
public struct SentencePieceTokenizer: Sendable {
    public let model: SentencePieceModel
    private let normalizer: SentencePieceNormalizer
    /// Pieces the segmentation may use (normal, user-defined; unused ones stay out of the lattice).
    private let vocabulary: [[UInt8]: Int]
    private let longestPiece: Int
    private let unknownID: Int
    private let unknownScore: Float
    private let maximumScore: Float

    /// sentencepiece's penalty under the lowest piece score for an unknown character.
    private static let unknownPenalty: Float = 10

    public init(model: SentencePieceModel) throws {
        self.model = model
        normalizer = try SentencePieceNormalizer(model: model)
        var vocabulary: [[UInt8]: Int] = [:]
        var minimum = Float.greatestFiniteMagnitude, maximum = Float.leastNormalMagnitude
        for (id, piece) in model.pieces.enumerated() {
            if piece.type == .normal {
                minimum = min(minimum, piece.score)
                maximum = max(maximum, piece.score)
            }
            if piece.type == .normal || piece.type == .userDefined { vocabulary[Array(piece.text.utf8), default: id] = id }
        }
        self.vocabulary = vocabulary
        longestPiece = vocabulary.keys.map(\.count).max() ?? 0
        unknownID = model.pieces.firstIndex { $0.type == .unknown } ?? 0
        unknownScore = minimum - Self.unknownPenalty
        maximumScore = maximum
    }

    /// Reads `bpe.model`.
    public init(modelPath: String) throws {
        do {
            try self.init(model: try SentencePieceModel(path: modelPath))
        } catch is SentencePieceNormalizerError {
            throw SentencePieceModelError(path: modelPath, cause: "broken normalization map")
        }
    }

    /// The pieces of `text` and their ids (`<unk>`'s id for unknown runs).
    public func encode(_ text: String) -> [(piece: String, id: Int)] {
        let normalized = normalizer.normalize(Array(text.utf8))
        let size = normalized.count
        guard size > 0 else { return [] }
        // The best path ending at each byte: its score, where its last piece starts and which it is.
        var scores = [Float](repeating: 0, count: size + 1)
        var starts = [Int](repeating: -1, count: size + 1)
        var ids = [Int](repeating: -1, count: size + 1)
        var start = 0
        while start < size {
            let scoreHere = scores[start]
            let characterLength = min(Self.leadingByteLength(normalized[start]), size - start)
            var coversCharacter = false
            // No length at all when every piece is unused: each character is then unknown.
            for length in stride(from: 1, through: min(longestPiece, size - start), by: 1) {
                guard let id = vocabulary[Array(normalized[start..<(start + length)])] else { continue }
                let piece = model.pieces[id]
                // User-defined pieces always win. sentencepiece's `cond ? double : float` makes every
                // candidate a double, compared with the stored float and then stored as a float.
                let score = piece.type == .userDefined ? Double(Float(length) * maximumScore) - 0.1 : Double(piece.score)
                let candidate = score + Double(scoreHere)
                let end = start + length
                if starts[end] == -1 || candidate > Double(scores[end]) {
                    scores[end] = Float(candidate)
                    starts[end] = start
                    ids[end] = id
                }
                if length == characterLength { coversCharacter = true }
            }
            if !coversCharacter {
                let end = start + characterLength
                let candidate = unknownScore + scoreHere
                if starts[end] == -1 || candidate > scores[end] {
                    scores[end] = candidate
                    starts[end] = start
                    ids[end] = unknownID
                }
            }
            start += characterLength
        }
        var path: [(bytes: ArraySlice<UInt8>, id: Int)] = []
        var end = size
        while end > 0 {
            path.append((normalized[starts[end]..<end], ids[end]))
            end = starts[end]
        }
        var result: [(piece: String, id: Int)] = []
        var previousIsUnknown = false
        for (bytes, id) in path.reversed() {
            let isUnknown = id == unknownID
            if isUnknown && model.hasByteFallback {
                for byte in bytes {
                    let piece = "<0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) + ">"
                    result.append((piece, model.pieces.firstIndex { $0.text == piece && $0.type == .byte } ?? unknownID))
                }
            } else if isUnknown && previousIsUnknown {
                result[result.count - 1].piece += String(decoding: bytes, as: UTF8.self)
            } else {
                result.append((String(decoding: bytes, as: UTF8.self), id))
            }
            previousIsUnknown = isUnknown
        }
        return result
    }

    /// sentencepiece's `OneCharLen`: the length a UTF-8 leading byte announces (1 for stray bytes).
    private static func leadingByteLength(_ byte: UInt8) -> Int {
        switch byte >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
