import Foundation
import Testing
import Recognizer

/// Model files that sentencepiece refuses, or that once crashed the reader under the fuzzer
/// (tools/fuzz/corpus/tokenizer-files), written by hand as protobuf bytes.
struct SentencePieceModelCheckTests {
    /// A `ModelProto.SentencePiece` message: text (field 1), score (field 2, -1) and type (field 3).
    private static func piece(_ text: String, type: UInt8) -> [UInt8] {
        let body = [0x0a, UInt8(text.utf8.count)] + Array(text.utf8) + [0x15, 0x00, 0x00, 0x80, 0xbf, 0x18, type]
        return [0x0a, UInt8(body.count)] + body
    }

    private static func written(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bpe-\(UUID().uuidString).model").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func refusesAModelWithoutOrdinaryPieces() {
        // As sentencepiece: "no pieces are loaded" when all pieces are control or unknown ones.
        let bytes = Self.piece("<unk>", type: 2) + Self.piece("<s>", type: 3)
        #expect { try SentencePieceModel(bytes: bytes, path: "control.model") } throws: {
            "\($0)" == "control.model: no pieces"
        }
    }

    @Test func refusesAnEmptyPiece() {
        let bytes = Self.piece("<unk>", type: 2) + Self.piece("", type: 1)
        #expect { try SentencePieceModel(bytes: bytes, path: "empty-piece.model") } throws: {
            "\($0)" == "empty-piece.model: piece 1 is empty"
        }
    }

    @Test func refusesAMapWhoseValuePointsPastItsStrings() throws {
        // Normalizer spec (field 3) with a precompiled map (field 2): a 4-byte trie of one value
        // unit whose value, 100, points past the single replacement byte.
        let map: [UInt8] = [0x04, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x80, 0x00]
        let normalizer = [0x12, UInt8(map.count)] + map
        let path = try Self.written(Self.piece("<unk>", type: 2) + Self.piece("A", type: 1) + [0x1a, UInt8(normalizer.count)] + normalizer)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try SentencePieceTokenizer(modelPath: path) } throws: {
            "\($0)" == "\(path): broken normalization map"
        }
    }

    @Test func encodesEveryCharacterAsUnknownWhenAllPiecesAreUnused() throws {
        // Python's sentencepiece on this model: encode("AB c") gives ['▁AB▁c'], ids [0].
        let bytes = Self.piece("<unk>", type: 2) + Self.piece("AB", type: 5)
        let tokenizer = try SentencePieceTokenizer(model: SentencePieceModel(bytes: bytes, path: "unused.model"))
        let pieces = tokenizer.encode("AB c")
        #expect(pieces.map(\.piece) == ["\u{2581}AB\u{2581}c"])
        #expect(pieces.map(\.id) == [0])
    }
}
