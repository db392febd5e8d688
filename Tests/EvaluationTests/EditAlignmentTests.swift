import Evaluation
import Foundation
import Testing
import TestSupport

private func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

@Test func handAlignedDeletionAndTwoInsertions() {
    // ONE [TWO deleted] THREE FOUR [FOR inserted] FIVE [SIX inserted]: the only alignment of cost 3.
    let alignment = EditAlignment(reference: words("ONE TWO THREE FOUR FIVE"), hypothesis: words("ONE THREE FOUR FOR FIVE SIX"))
    #expect(alignment.counts == ErrorCounts(referenceLength: 5, substitutions: 0, deletions: 1, insertions: 2))
    #expect(alignment.steps.map(\.operation) == [.match, .deletion, .match, .match, .insertion, .match, .insertion])
    #expect(alignment.steps[1].reference == "TWO" && alignment.steps[1].hypothesis == nil)
    #expect(alignment.steps[4].hypothesis == "FOR" && alignment.steps[4].reference == nil)
    #expect(alignment.counts.rate == 3.0 / 5.0)
}

@Test func handAlignedSubstitutionAndTrailingDeletion() {
    let alignment = EditAlignment(reference: words("ENTER TWO NINE EIGHT ONE"), hypothesis: words("ENTER TO NINE EIGHT"))
    #expect(alignment.steps.map(\.operation) == [.match, .substitution, .match, .match, .deletion])
    #expect(alignment.steps[1].reference == "TWO" && alignment.steps[1].hypothesis == "TO")
    #expect(alignment.counts.rate == 0.4)
}

@Test func emptyHypothesisDeletesEverythingAndEmptyReferenceInsertsEverything() {
    let deleted = EditAlignment(reference: words("A B C"), hypothesis: [])
    #expect(deleted.counts == ErrorCounts(referenceLength: 3, substitutions: 0, deletions: 3, insertions: 0))
    let inserted = EditAlignment(reference: [], hypothesis: words("A B"))
    #expect(inserted.counts == ErrorCounts(referenceLength: 0, substitutions: 0, deletions: 0, insertions: 2))
    #expect(EditAlignment<String>(reference: [], hypothesis: []).counts.rate == 0)
}

/// The golden file: jiwer's counts for the pairs of `wer-pairs.tsv` (tools/make-wer-golden.py).
private struct Golden: Decodable {
    struct Pair: Decodable {
        var reference: String, hypothesis: String
        var substitutions: Int, deletions: Int, insertions: Int, wer: Double
        var character_substitutions: Int, character_deletions: Int, character_insertions: Int, cer: Double
    }
    struct Corpus: Decodable { var substitutions: Int, deletions: Int, insertions: Int, wer: Double, cer: Double }
    var pairs: [Pair]
    var corpus: Corpus

    static func load() throws -> Golden {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("EvaluationTests", "wer-golden.json")))
        return try JSONDecoder().decode(Golden.self, from: data)
    }
}

@Test func wordAlignmentsMatchJiwerCountsExactly() throws {
    let golden = try Golden.load()
    #expect(golden.pairs.count >= 50)
    for pair in golden.pairs {
        let counts = EditAlignment(reference: words(pair.reference), hypothesis: words(pair.hypothesis)).counts
        #expect(counts.substitutions == pair.substitutions, "\(pair.reference) | \(pair.hypothesis)")
        #expect(counts.deletions == pair.deletions, "\(pair.reference) | \(pair.hypothesis)")
        #expect(counts.insertions == pair.insertions, "\(pair.reference) | \(pair.hypothesis)")
        #expect(abs(counts.rate - pair.wer) < 1e-12)
    }
}

@Test func characterAlignmentsMatchJiwerCountsExactly() throws {
    let golden = try Golden.load()
    for pair in golden.pairs {
        let counts = EditAlignment(reference: Array(pair.reference), hypothesis: Array(pair.hypothesis)).counts
        #expect(counts.substitutions == pair.character_substitutions, "\(pair.reference) | \(pair.hypothesis)")
        #expect(counts.deletions == pair.character_deletions, "\(pair.reference) | \(pair.hypothesis)")
        #expect(counts.insertions == pair.character_insertions, "\(pair.reference) | \(pair.hypothesis)")
        #expect(abs(counts.rate - pair.cer) < 1e-12)
    }
}

@Test func setTotalsMatchJiwerCorpusScores() throws {
    let golden = try Golden.load()
    let scores = golden.pairs.enumerated().map { index, pair in
        UtteranceScore(utterance: EvaluationUtterance(id: "\(index)", audioPath: "", reference: pair.reference,
                                                      source: SourceLocation(file: "wer-pairs.tsv", line: index + 2)),
                       hypothesis: pair.hypothesis, audioSeconds: 1, cpuSeconds: 0.5)
    }
    let report = SetReport(name: "golden", scores: scores, skipped: 0)
    #expect(report.words.substitutions == golden.corpus.substitutions)
    #expect(report.words.deletions == golden.corpus.deletions)
    #expect(report.words.insertions == golden.corpus.insertions)
    #expect(abs(report.words.rate - golden.corpus.wer) < 1e-12)
    #expect(abs(report.characters.rate - golden.corpus.cer) < 1e-12)
    #expect(report.realTimeFactor == 0.5)
}
