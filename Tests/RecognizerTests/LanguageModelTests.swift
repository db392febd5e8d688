import Foundation
import Recognizer
import TestSupport
import Testing

/// The ARPA reader against KenLM (tools/make-arpa-golden.py): the same per-word log10
/// probabilities over whole sentences, back-off and words outside the vocabulary included.
@Suite struct ARPAReaderTests {
    struct Golden: Decodable {
        struct Case: Decodable { let words: [String]; let log10: [Float] }
        let cases: [Case]
    }

    @Test func sentenceScoresEqualKenLM() throws {
        let model = try ARPAReader.read(path: Fixtures.data("RecognizerTests", "an4-200-4gram.arpa"))
        #expect(model.order == 4)
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("RecognizerTests", "arpa-golden.json")))
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        #expect(golden.cases.count > 100)
        for item in golden.cases {
            var state = model.startState
            var scores: [Float] = []
            for word in item.words {
                let step = model.score(model.word(hash: NGramLanguageModel.hash(word.utf8)), after: state)
                scores.append(step.log10Probability)
                state = step.state
            }
            scores.append(model.endScore(after: state))
            #expect(scores.count == item.log10.count)
            for (ours, theirs) in zip(scores, item.log10) {
                #expect(abs(ours - theirs) < 2e-5, "\(item.words): \(scores) vs \(item.log10)")
            }
        }
    }

    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID().uuidString).arpa").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let header = "\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-1\t<s>\t-0.5\n-0.5\tA\t-0.2\n-0.7\t</s>\n\n\\2-grams:\n"

    @Test(arguments: [
        (header + "-0.1\t<s> A\n\n\\end\\\n", nil),
        (header + "-0.1\t<s> B\n\n\\end\\\n", "11: word 'B' has no 1-gram"),
        (header + "-0.1\t<s>\n\n\\end\\\n", "11: expected a log10 probability, 2 words and an optional back-off weight"),
        (header + "x\t<s> A\n\n\\end\\\n", "11: bad log10 probability"),
        (header + "-0.1\t<s> A\n-0.2\tA A\n\\end\\\n", "13: 2-grams: the header says 1, found 2"),
        (header + "-0.1\t<s> A\n", "ends before \\end\\"),
        ("\\data\\\nngram 2=1\n", "2: expected 'ngram 1=COUNT'"),
        ("hello\n", "not an ARPA file (no \\data\\ section)"),
    ] as [(String, String?)])
    func namesTheLineOfAMalformedFile(text: String, problem: String?) throws {
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        if let problem {
            #expect { try ARPAReader.read(path: path) } throws: {
                "\($0)" == (problem.first!.isNumber ? "\(path):\(problem)" : "\(path): \(problem)")
            }
        } else {
            let model = try ARPAReader.read(path: path)
            let a = model.word(hash: NGramLanguageModel.hash("A".utf8))
            #expect(model.score(a, after: model.startState).log10Probability == -0.1)
            // Back-off: A after A is the unigram after A's back-off weight.
            let afterA = model.score(a, after: model.startState).state
            #expect(abs(model.score(a, after: afterA).log10Probability - (-0.2 - 0.5)) < 1e-6)
        }
    }

    /// A header may announce any count: nothing is reserved for more n-grams than the file can hold
    /// (fuzzing found `ngram 1=3444444444444444` asking for petabytes).
    @Test func refusesACountTheFileCannotHold() throws {
        let text = "\\data\\\nngram 1=3444444444444444\nngram 2=1\n\n\\1-grams:\n-1\t<s>\t-0.5\n\n\\end\\\n"
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try ARPAReader.read(path: path) } throws: {
            "\($0)" == "\(path):2: 'ngram 1=3444444444444444' announces more n-grams than a file of \(text.utf8.count) bytes holds"
        }
    }

    @Test func reportsAnUnreadableFile() {
        #expect { try ARPAReader.read(path: "/nonexistent/lm.arpa") } throws: { "\($0)" == "/nonexistent/lm.arpa: cannot read file" }
    }
}

/// Fusion end to end on the model: an LM of the fixture's own sentence keeps it, an LM that only
/// knows other words changes it, and greedy search refuses an LM. Skipped when the model is absent.
@Suite(.enabled(if: Fixtures.modelDirectory != nil)) struct LanguageModelFusionTests {
    @Test func theLanguageModelMovesTheSearch() throws {
        let plain = try Recognizer(modelDirectory: Fixtures.modelDirectory!)
        let baseline = try plain.transcribe(path: Fixtures.audio("callback-16k-float.wav")).text
        #expect(baseline == "PLEASE CALLED ME BACK WHEN YOU GET HOME TONIGHT")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID().uuidString).arpa").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // "CALL" is likely after "PLEASE", "CALLED" is not in the vocabulary.
        try """
            \\data\\
            ngram 1=10
            ngram 2=2

            \\1-grams:
            -99\t<s>\t-0.3
            -1\t</s>
            -3\t<unk>
            -1\tPLEASE\t-0.3
            -1\tCALL\t-0.3
            -1\tME
            -1\tBACK
            -1\tWHEN
            -1\tYOU
            -1\tGET

            \\2-grams:
            -0.1\t<s> PLEASE
            -0.05\tPLEASE CALL

            \\end\\

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let fused = try Recognizer(modelDirectory: Fixtures.modelDirectory!,
                                   configuration: .init(languageModelPath: path, languageModelScale: 0.5, languageModelWordBonus: 1))
        let text = try fused.transcribe(path: Fixtures.audio("callback-16k-float.wav")).text
        #expect(text.hasPrefix("PLEASE CALL ME BACK"), "\(text)")
        #expect {
            try Recognizer(modelDirectory: Fixtures.modelDirectory!, configuration: .init(decoding: .greedy, languageModelPath: path))
        } throws: { "\($0)" == "language model: a language model needs beam search (modified beam), not greedy" }
    }
}
