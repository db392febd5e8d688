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

    @Option(help: "Model directory (default: $ASR_MODEL, then models/default).")
    var model: String?

    @Option(help: "Search: 'beam' (modified beam search, the default) or 'greedy'.")
    var decoding: DecodingChoice = .beam

    @Option(help: "Active paths of the beam search.")
    var beam: Int = 4

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Also print partial results as they change.")
    var partials = false

    @Argument(help: "Audio files (any format libsndfile reads; resampled to 16 kHz).")
    var files: [String]

    func validate() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1, not \(beam)") }
        guard !files.isEmpty else { throw ValidationError("give at least one audio file") }
    }

    func run() throws {
        var configuration = RecognizerConfiguration()
        configuration.decoding = decoding == .greedy ? .greedy : .modifiedBeam(paths: beam)
        let directory = ModelFiles.resolveDirectory(explicit: model)
        let recognizer: Recognizer
        do {
            recognizer = try Recognizer(modelDirectory: directory, configuration: configuration)
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

enum DecodingChoice: String, ExpressibleByArgument, CaseIterable {
    case greedy, beam
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
