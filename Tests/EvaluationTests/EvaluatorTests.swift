import Evaluation
import Foundation
import Testing

/// Answers from a table keyed by audio path; fails for paths it does not know, like unreadable audio.
private final class TableTranscriber: UtteranceTranscriber {
    let answers: [String: String]
    init(_ answers: [String: String]) { self.answers = answers }

    struct Unreadable: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path): cannot decode audio" }
    }

    func transcribe(audioPath: String) throws -> Transcription {
        guard let text = answers[audioPath] else { throw Unreadable(path: audioPath) }
        return Transcription(text: text, audioSeconds: 2)
    }
}

private func utterance(_ id: String, _ reference: String, line: Int) -> EvaluationUtterance {
    EvaluationUtterance(id: id, audioPath: "/audio/\(id).flac", reference: reference, source: SourceLocation(file: "text", line: line))
}

private let sets = [
    TestSet(name: "first", path: "first", layout: .kaldiDataDirectory,
            utterances: (1...9).map { utterance("f\($0)", "NUMBER \($0) IS HERE", line: $0) },
            problems: [SetProblem(.emptyText(id: "f10"), at: SourceLocation(file: "text", line: 10))]),
    TestSet(name: "second", path: "second", layout: .kaldiDataDirectory,
            utterances: [utterance("s1", "ONE TWO THREE FOUR FIVE", line: 1), utterance("s2", "UNREADABLE", line: 2)],
            problems: []),
]

private let answers: [String: String] = {
    var answers: [String: String] = [:]
    for number in 1...9 { answers["/audio/f\(number).flac"] = number % 3 == 0 ? "number \(number) is" : "Number \(number), is here." }
    answers["/audio/s1.flac"] = "one three four for five six"
    return answers
}()

@Test func reportCountsErrorsAndSkippedEntriesPerSetAndInTotal() {
    let run = Evaluator().evaluate(sets, transcribers: [TableTranscriber(answers)])
    let first = run.report.sets[0], second = run.report.sets[1], total = run.report.total
    #expect(first.utterances == 9 && first.skipped == 1)
    #expect(first.words == ErrorCounts(referenceLength: 36, substitutions: 0, deletions: 3, insertions: 0))
    #expect(second.utterances == 1 && second.skipped == 1)
    #expect(second.words == ErrorCounts(referenceLength: 5, substitutions: 0, deletions: 1, insertions: 2))
    #expect(total.name == "ALL" && total.utterances == 10 && total.skipped == 2)
    #expect(total.words.errors == 6 && total.words.referenceLength == 41)
    #expect(total.audioSeconds == 20)
    #expect(run.problems[1].map(\.description) == ["text:2: could not decode 's2': /audio/s2.flac: cannot decode audio"])
}

@Test func resultsAreIdenticalForAnyNumberOfWorkers() throws {
    let single = Evaluator().evaluate(sets, transcribers: [TableTranscriber(answers)])
    for workers in 2...4 {
        var progress: [Int] = []
        let parallel = Evaluator().evaluate(sets, transcribers: (0..<workers).map { _ in TableTranscriber(answers) },
                                            progress: { done, total in progress.append(done); #expect(total == 11) })
        #expect(parallel.scores.map { $0.map(\.utterance.id) } == single.scores.map { $0.map(\.utterance.id) })
        #expect(parallel.scores.map { $0.map(\.hypothesis) } == single.scores.map { $0.map(\.hypothesis) })
        #expect(parallel.report.total.words == single.report.total.words)
        #expect(progress == Array(1...11))
    }
}

@Test func orderedParallelMapKeepsInputOrderAndUsesEveryWorker() {
    final class Worker { var handled = 0 }
    let workers = (0..<3).map { _ in Worker() }
    let output = orderedParallelMap(Array(0..<200), workers: workers) { worker, value -> Int in
        worker.handled += 1
        return value * value
    }
    #expect(output == (0..<200).map { $0 * $0 })
    #expect(workers.reduce(0) { $0 + $1.handled } == 200)
}

@Test func jsonReportHasTheContractFields() throws {
    let run = Evaluator().evaluate(sets, transcribers: [TableTranscriber(answers)])
    let object = try JSONSerialization.jsonObject(with: run.report.json()) as? [String: Any]
    let total = try #require(object?["total"] as? [String: Any])
    let entries = try #require(object?["sets"] as? [[String: Any]])
    for field in ["name", "utterances", "words", "substitutions", "deletions", "insertions", "wer",
                  "audio_seconds", "cpu_seconds", "rtf", "skipped", "cer"] {
        #expect(total[field] != nil, "total.\(field)")
        #expect(entries.allSatisfy { $0[field] != nil }, "sets[].\(field)")
    }
    #expect(entries.map { $0["name"] as? String } == ["first", "second"])
    #expect(total["wer"] as? Double == 6.0 / 41.0)
    #expect(total["skipped"] as? Int == 2)
}

@Test func tableHasOneRowPerSetAndAnAllRow() {
    let table = Evaluator().evaluate(sets, transcribers: [TableTranscriber(answers)]).report.table()
    let lines = table.split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[1].hasPrefix("first") && lines[3].hasPrefix("ALL"))
    #expect(lines[3].contains("14.63"))  // 6 / 41 words
}

@Test func detailsAlignReferenceAndHypothesisColumns() {
    let score = UtteranceScore(utterance: utterance("s1", "ONE TWO THREE FOUR FIVE", line: 1),
                               hypothesis: "one three four for five six", audioSeconds: 1, cpuSeconds: 0)
    #expect(AlignmentDetails.text(for: score, set: "second") == """
        id:  s1  (second, text:1)
        REF: ONE TWO THREE FOUR *** FIVE ***
        HYP: ONE *** THREE FOUR FOR FIVE SIX
        ERR:     D              I        I
        words 5  sub 0  del 1  ins 2


        """)
}

@Test func percentilesAreNearestRank() {
    let sample = Percentiles((1...20).map(Double.init).reversed())
    #expect(sample.value(at: 50) == 10)
    #expect(sample.value(at: 95) == 19)
    #expect(sample.maximum == 20)
    #expect(Percentiles([]).value(at: 50) == 0)
}

@Test func benchJSONHasTheContractFields() throws {
    var report = BenchReport()
    report.audioSeconds = 10
    report.cpuSeconds = 0.25
    report.chunkSeconds = [0.001, 0.002, 0.003]
    let object = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
    for field in ["audio_seconds", "cpu_seconds", "rtf", "load_ms", "peak_rss_bytes", "allocations_per_chunk", "chunk_ms", "stage_seconds"] {
        #expect(object.keys.contains(field), "\(field)")
    }
    #expect(object["rtf"] as? Double == 0.025)
    #expect((object["chunk_ms"] as? [String: Double])?["max"] == 3)
    #expect(object["allocations_per_chunk"] is NSNull)
}

@Test func processResourcesReadTheKernelCounters() {
    let start = ProcessResources.processCPUSeconds()
    var sink = 0.0
    for value in 0..<2_000_000 { sink += Double(value).squareRoot() }
    #expect(sink > 0)
    #expect(ProcessResources.processCPUSeconds() > start)
    // Current first, then the high-water mark: other tests' threads allocate meanwhile, so a
    // current reading taken after the peak reading can exceed it.
    let resident = ProcessResources.residentBytes()
    #expect(ProcessResources.peakResidentBytes() >= resident)
    #expect(resident > 1 << 20)
}
