import ArgumentParser
import Evaluation
import Foundation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Word error rate of the recognizer on test sets.",
        discussion: """
            SET is a LibriSpeech tree (*.trans.txt beside the audio), a Kaldi data dir (wav.scp with \
            plain paths relative to it, and text) or a JSON-lines manifest (audio_filepath, text, \
            optional duration). Text is compared after normalization: upper case, punctuation removed, \
            hyphens split words, apostrophes kept inside words. Bad entries are reported on stderr with \
            file and line and skipped; the rest is evaluated and the exit status is 1.

            --biasing-list takes the LibriSpeech contextual-biasing format (Le et al. 2021): \
            id<TAB>reference<TAB>["rare", ...]<TAB>["biasing", "list", ...]. Each utterance is decoded \
            with its own list as hotwords, and the report adds U-WER (words outside the rare list) and \
            B-WER (words in it), scored as the benchmark's score.py does.
            """)

    @OptionGroup var recognizer: RecognizerOptions

    @Option(name: .customLong("json"), help: "Write the JSON report here.")
    var jsonPath: String?

    @Option(name: .customLong("details"), help: "Write each utterance's reference, hypothesis and aligned errors here.")
    var detailsPath: String?

    @Option(name: .customLong("biasing-list"), help: ArgumentHelp("Per-utterance biasing lists (TSV, see below): decode with them as hotwords, report U-WER and B-WER.", valueName: "file"))
    var biasingListPath: String?

    @Option(help: "Utterances decoded in parallel, one model per job; defaults to the number of cores.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Argument(help: "Test sets.")
    var sets: [String]

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard !sets.isEmpty else { throw ValidationError("give at least one SET") }
        if biasingListPath != nil && recognizer.decoding == .greedy { throw ValidationError("--biasing-list needs --decoding beam") }
    }

    func run() throws {
        try checkReportPaths(jsonPath, detailsPath)
        var failed = false
        var biasingList: BiasingList?
        if let biasingListPath {
            do {
                biasingList = try BiasingList(path: biasingListPath)
            } catch {
                printError("\(error)")
                throw ExitCode.failure
            }
        }
        var loaded: [TestSet] = []
        for path in sets {
            do {
                var set = try TestSet.load(path: path)
                if let biasingList { set = set.biased(by: biasingList) }
                set.problems.forEach { printError($0.description) }
                loaded.append(set)
            } catch {
                printError("\(error)")
                failed = true
            }
        }
        let utteranceCount = loaded.reduce(0) { $0 + $1.utterances.count }
        guard utteranceCount > 0 else {
            printError("no utterance to evaluate")
            throw ExitCode.failure
        }

        let transcribers: [any UtteranceTranscriber]
        do {
            // One model for every worker: each utterance gets its own stream.
            let model = try RecognizerBridge.load(recognizer)
            transcribers = (0..<min(jobs, utteranceCount)).map { _ in FileTranscriber(model) }
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }

        let progress = ProgressBar(total: utteranceCount, label: "utterances")
        let run = Evaluator().evaluate(loaded, transcribers: transcribers, progress: { done, _ in progress.update(done) })
        progress.finish()

        // Decoding failures, after the reading problems already printed.
        for (set, problems) in zip(loaded, run.problems) {
            problems.dropFirst(set.problems.count).forEach { printError($0.description) }
        }
        print(run.report.table(), terminator: "")
        let skipped = run.report.total.skipped
        if skipped > 0 {
            print("skipped \(skipped) \(skipped == 1 ? "entry" : "entries") (reasons on stderr)")
            failed = true
        }

        if let jsonPath {
            try writeReport(run.report.json(), to: jsonPath)
        }
        if let detailsPath {
            var text = ""
            for (set, scores) in zip(loaded, run.scores) {
                for score in scores { text += AlignmentDetails.text(for: score, set: set.name) }
            }
            try writeReport(Data(text.utf8), to: detailsPath)
        }
        if failed { throw ExitCode.failure }
    }
}
