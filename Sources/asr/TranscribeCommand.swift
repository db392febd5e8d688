import ArgumentParser
import Foundation
import Recognizer

struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe audio files.",
        discussion: """
            Prints one line per file: 'path<TAB>text', or the text alone for a single file. With \
            --format json, one JSON object per line with the words and their start/end times in seconds; \
            with --format srt or vtt, the subtitles of one file (cues of at most 42 characters and 7 s). \
            A file that cannot be read is reported on stderr; the others are still transcribed and the \
            exit status is non-zero.
            """
    )

    @OptionGroup var recognizerOptions: RecognizerOptions

    @Option(help: "Output format: text, json, srt or vtt (subtitles).")
    var format: TranscriptFormat = .text

    @Flag(help: "Also print partial results as they change.")
    var partials = false

    @Argument(help: "Audio files (any format libsndfile reads; resampled to 16 kHz).")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one audio file") }
        if format == .srt || format == .vtt {
            guard files.count == 1 else { throw ValidationError("--format \(format.rawValue) takes one audio file (its subtitles go to stdout)") }
            guard !partials else { throw ValidationError("--partials does not apply to --format \(format.rawValue)") }
        }
    }

    func run() throws {
        let recognizer: Recognizer
        do {
            recognizer = try recognizerOptions.makeRecognizer()
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let output = TranscriptWriter(format: format == .json ? .json : .text, showsPath: files.count > 1)
        var failures = 0
        for file in files {
            do {
                let result = try recognizer.transcribe(path: file, partials: partials ? { output.write(file: file, result: $0, isFinal: false) } : nil)
                switch format {
                case .srt: print(SubtitleWriter.document(result.words, format: .srt), terminator: "")
                case .vtt: print(SubtitleWriter.document(result.words, format: .vtt), terminator: "")
                case .text, .json: output.write(file: file, result: result, isFinal: true)
                }
            } catch {
                printError("\(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `transcribe`'s formats: the streaming ones and subtitles.
enum TranscriptFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, srt, vtt
}
