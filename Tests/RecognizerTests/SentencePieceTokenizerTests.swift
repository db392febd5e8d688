import Foundation
import Recognizer
import TestSupport
import Testing

/// The unigram tokenizer against Python's sentencepiece (tools/make-sentencepiece-golden.py) on the
/// model's `bpe.model`. Skipped when the model is not present.
@Suite(.enabled(if: Fixtures.modelDirectory != nil)) struct SentencePieceTokenizerTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let text: String
            let pieces: [String]
            let ids: [Int]
        }
        let cases: [Case]
    }

    func tokenizer() throws -> SentencePieceTokenizer {
        try SentencePieceTokenizer(modelPath: (Fixtures.modelDirectory ?? "") + "/bpe.model")
    }

    @Test func piecesAndIdsEqualSentencepiece() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("RecognizerTests", "sentencepiece-golden.json")))
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        #expect(golden.cases.count > 500)
        let tokenizer = try tokenizer()
        var mismatches = 0
        for item in golden.cases {
            let encoded = tokenizer.encode(item.text)
            if encoded.map(\.piece) != item.pieces || encoded.map(\.id) != item.ids {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record("\(item.text.debugDescription): \(encoded.map(\.piece)) \(encoded.map(\.id)), expected \(item.pieces) \(item.ids)")
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func readsTheModel() throws {
        let model = try tokenizer().model
        #expect(model.pieces.count == 500)
        #expect(model.pieces[2].type == .unknown)
        #expect(model.pieces[0] == SentencePieceModel.Piece(text: "<blk>", score: 0, type: .userDefined))
        #expect(model.pieces[5].text == "\u{2581}THE")
        #expect(!model.precompiledCharacterMap.isEmpty)
    }

    @Test func rejectsFilesThatAreNotModels() throws {
        #expect { try SentencePieceModel(path: "/nonexistent/bpe.model") } throws: {
            "\($0)" == "/nonexistent/bpe.model: cannot read file"
        }
        #expect { try SentencePieceModel(bytes: Array("hello".utf8), path: "x.model") } throws: {
            "\($0)" == "x.model: not a sentencepiece model (malformed protobuf)"
        }
        // A piece (field 1) whose own text field runs past the piece's end.
        #expect { try SentencePieceModel(bytes: [0x0a, 0x02, 0x0a, 0x05], path: "truncated.model") } throws: {
            "\($0)" == "truncated.model: not a sentencepiece model (malformed protobuf)"
        }
        #expect { try SentencePieceModel(bytes: [], path: "empty.model") } throws: {
            "\($0)" == "empty.model: no pieces"
        }
    }
}
