import AudioIO
import Foundation
import Recognizer
import TestSupport
import Testing

/// Hotwords spelled with the token table alone, against Python's sentencepiece pieces
/// (sentencepiece-golden.json) and on the real model without its `bpe.model`.
@Suite(.enabled(if: Fixtures.modelDirectory != nil)) struct VocabularySegmenterTests {
    struct Golden: Decodable {
        struct Case: Decodable { let text: String; let ids: [Int] }
        let cases: [Case]
    }

    func tokens() throws -> TokenTable { try TokenTable(path: Fixtures.modelDirectory! + "/tokens.txt") }

    /// The golden texts in the vocabulary's own letters (upper case, apostrophes) that sentencepiece
    /// spells without `<unk>`: 633 of 657 get sentencepiece's ids (96.3 %).
    @Test func mostWordsGetSentencepiecesPieces() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("RecognizerTests", "sentencepiece-golden.json")))
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        let tokens = try tokens()
        let segmenter = VocabularySegmenter(tokens: tokens)
        let letters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ' ")
        var compared = 0, agreed = 0
        for item in golden.cases where !item.text.allSatisfy(\.isWhitespace) && item.text.allSatisfy(letters.contains)
            && !item.ids.contains(tokens.unknownID ?? -1) {
            compared += 1
            if case .success(let ids) = segmenter.split(item.text), ids == item.ids { agreed += 1 }
        }
        #expect(compared == 657)
        #expect(agreed >= 633, "\(agreed) of \(compared)")
    }

    @Test func splitsWordByWordWithTheWordStartMarker() throws {
        let tokens = try tokens()
        let segmenter = VocabularySegmenter(tokens: tokens)
        let ids = try segmenter.split("  THE   WEATHER ").get()
        // As sentencepiece splits it (the vocabulary has no ▁WEATHER).
        #expect(ids.map { tokens.pieces[$0] } == ["\u{2581}THE", "\u{2581}WE", "A", "THER"])
    }

    @Test func aPhraseTheTableCannotSpellIsOneError() throws {
        let tokens = try tokens()
        #expect(VocabularySegmenter(tokens: tokens).split("TOKYO 日本") == .failure(.init(character: "日")))
        #expect {
            try ContextGraph(hotwords: [Hotword("TOKYO 日本", origin: "h.txt:3")], defaultScore: 1.5, tokenizer: nil, tokens: tokens)
        } throws: {
            "\($0)" == "h.txt:3: 'TOKYO 日本' cannot be spelled with the model's tokens (none covers '日'; no bpe.model)"
        }
    }

    /// The model directory without `bpe.model` (its other files linked): the hotword still turns
    /// CALLED ME BACK into CALL ME BACK.
    @Test func aModelWithoutBpeModelTakesHotwords() throws {
        let source = URL(fileURLWithPath: Fixtures.modelDirectory!)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("no-bpe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name != "bpe.model" {
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent(name),
                                                       withDestinationURL: source.appendingPathComponent(name))
        }
        let recognizer = try Recognizer(modelDirectory: directory.path,
                                        configuration: .init(hotwords: [Hotword("call me back")]))
        #expect(try recognizer.transcribe(path: Fixtures.audio("callback-16k-float.wav")).text
                == "PLEASE CALL ME BACK WHEN YOU GET HOME TONIGHT")
        #expect { try recognizer.makeStream(hotwords: [Hotword("日本", origin: "h.txt:1")]) } throws: {
            "\($0)" == "h.txt:1: '日本' cannot be spelled with the model's tokens (none covers '日'; no bpe.model)"
        }
    }
}

/// A table without ordinary pieces (only `<...>` symbols), as the tokenizer-files fuzzer found it:
/// it spells nothing, and says so instead of trapping.
@Suite struct VocabularySegmenterWithoutPiecesTests {
    @Test func aTableWithoutOrdinaryPiecesCoversNoCharacter() throws {
        let tokens = try TokenTable(contents: "<blk> 0\n<unk> 1\n", path: "tokens.txt")
        #expect(VocabularySegmenter(tokens: tokens).split("HI") == .failure(.init(character: "\u{2581}")))
        #expect(VocabularySegmenter(tokens: tokens).split("  ") == .success([]))
    }
}
