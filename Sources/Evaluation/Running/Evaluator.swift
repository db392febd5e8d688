/// Decodes the utterances of several sets in parallel and scores them.
///
/// Each worker thread owns one transcriber; utterances are handed out in order and their scores
/// gathered in input order, so the report is the same for any number of workers (only CPU time varies).
public struct Evaluator {
    public var normalizer = TextNormalizer()

    public init() {}

    /// Everything one evaluation produced.
    public struct Run: Sendable {
        public var report: EvaluationReport
        /// Scores per set, in set order.
        public var scores: [[UtteranceScore]]
        /// Problems per set: those found while reading plus audio that failed to decode.
        public var problems: [[SetProblem]]
    }

    /// `transcribers` are the per-thread workers; `progress` gets (finished, total) after each utterance.
    public func evaluate(_ sets: [TestSet], transcribers: [any UtteranceTranscriber],
                         progress: ((Int, Int) -> Void)? = nil) -> Run {
        let work = sets.enumerated().flatMap { index, set in set.utterances.map { (set: index, utterance: $0) } }
        let normalizer = self.normalizer
        let outcomes: [Result<UtteranceScore, SetProblem>] = orderedParallelMap(
            work, workers: transcribers, completed: { progress?($0, work.count) }
        ) { transcriber, item in
            let start = ProcessResources.threadCPUSeconds()
            do {
                let transcription = try transcriber.transcribe(audioPath: item.utterance.audioPath,
                                                               hotwords: item.utterance.biasing?.biasingWords ?? [])
                let cpu = transcription.cpuSeconds ?? (ProcessResources.threadCPUSeconds() - start)
                return .success(UtteranceScore(utterance: item.utterance, hypothesis: transcription.text,
                                               audioSeconds: transcription.audioSeconds, cpuSeconds: cpu,
                                               normalizer: normalizer))
            } catch {
                return .failure(SetProblem(.undecodableAudio(id: item.utterance.id, reason: "\(error)"),
                                           at: item.utterance.source))
            }
        }

        var scores = sets.map { _ in [UtteranceScore]() }
        var problems = sets.map(\.problems)
        for (item, outcome) in zip(work, outcomes) {
            switch outcome {
            case .success(let score): scores[item.set].append(score)
            case .failure(let problem): problems[item.set].append(problem)
            }
        }
        let reports = sets.indices.map { SetReport(name: sets[$0].name, scores: scores[$0], skipped: problems[$0].count) }
        return Run(report: EvaluationReport(sets: reports), scores: scores, problems: problems)
    }
}
