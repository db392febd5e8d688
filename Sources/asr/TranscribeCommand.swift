import ArgumentParser
import Foundation
import Recognizer

struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe audio files.",
        discussion: """
            Prints one line per file: 'path<TAB>text', or the text alone for a single file. With \
            --format json, one JSON object per line with the words and their start/end times in seconds. \
            A file that cannot be read is reported on stderr; the others are still transcribed and the \
            exit status is non-zero.
            """
    )

    @OptionGroup var recognizerOptions: RecognizerOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Also print partial results as they change.")
    var partials = false

    @Argument(help: "Audio files (any format libsndfile reads; resampled to 16 kHz).")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one audio file") }
    }

    func run() throws {
        let recognizer: Recognizer
        do {
            recognizer = try recognizerOptions.makeRecognizer()
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let output = TranscriptWriter(format: format, showsPath: files.count > 1)
        var failures = 0
        for file in files {
            do {
                let result = try recognizer.transcribe(path: file, partials: partials ? { output.write(file: file, result: $0, isFinal: false) } : nil)
                output.write(file: file, result: result, isFinal: true)
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
