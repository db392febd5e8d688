import Evaluation
import Foundation
import TestSupport
import Testing

@Suite struct BiasedWordCountsTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let reference: [String], hypothesis: [String], rare: [String]
            let wer: [Int], u_wer: [Int], b_wer: [Int]
        }
        let cases: [Case]
    }

    func fields(_ counts: ErrorCounts) -> [Int] {
        [counts.referenceLength, counts.substitutions, counts.deletions, counts.insertions]
    }

    /// Against the benchmark's score.py itself (tools/make-biased-wer-golden.py).
    @Test func countsEqualScorePy() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("EvaluationTests", "biased-wer-golden.json")))
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        #expect(golden.cases.count > 200)
        for item in golden.cases {
            let counts = BiasedWordCounts(reference: item.reference, hypothesis: item.hypothesis, rareWords: Set(item.rare))
            #expect(fields(counts.all) == item.wer, "\(item.reference) / \(item.hypothesis)")
            #expect(fields(counts.unbiased) == item.u_wer, "\(item.reference) / \(item.hypothesis)")
            #expect(fields(counts.biased) == item.b_wer, "\(item.reference) / \(item.hypothesis)")
        }
    }

    @Test func anInsertedRareWordCountsForBWER() {
        let counts = BiasedWordCounts(reference: ["one", "pint"], hypothesis: ["one", "lobster", "pint"],
                                      rareWords: ["pint", "lobster"])
        #expect(fields(counts.biased) == [1, 0, 0, 1])
        #expect(fields(counts.unbiased) == [1, 0, 0, 0])
    }
}

@Suite struct BiasingListTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("biasing-\(UUID().uuidString).tsv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsEntries() throws {
        let path = try write("u1\tone pint\t[\"pint\"]\t[\"pint\", \"lobster's\"]\r\n\nu2\tnothing rare\t[]\t[]\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let list = try BiasingList(path: path)
        #expect(list.entries.count == 2)
        #expect(list.entries["u1"] == BiasingList.Entry(reference: "one pint", rareWords: ["pint"], biasingWords: ["pint", "lobster's"],
                                                       source: SourceLocation(file: path, line: 1)))
        #expect(list.entries["u2"]?.source.line == 3)
    }

    @Test(arguments: [("u\tref\t[]\n", "expected 4 tab-separated fields (id, reference, rare words, biasing list), found 3"),
                      ("u\tref\t[\"a\"\t[]\n", "the rare words are not a JSON array of strings"),
                      ("u\tref\t[]\t[1, 2]\n", "the biasing list is not a JSON array of strings"),
                      ("\tref\t[]\t[]\n", "empty utterance id")])
    func namesFileAndLineOfAMalformedLine(line: String, cause: String) throws {
        let path = try write("ok\tref\t[]\t[]\n" + line)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try BiasingList(path: path) } throws: { "\($0)" == "\(path):2: \(cause)" }
    }

    @Test func aRepeatedIDIsAnError() throws {
        let path = try write("u\tref\t[]\t[]\nu\tref\t[]\t[]\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try BiasingList(path: path) } throws: { "\($0)" == "\(path):2: duplicate id 'u' (first at \(path):1)" }
    }
}
