import ArgumentParser
import AudioIO
import Features
import Foundation

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print or save the 80-bin log-mel fbank matrix of an audio file (one row per 10 ms frame)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, npy
    }

    @Option(help: "text: one frame per line, values separated by spaces; npy: float32 array [frames, 80].")
    var format: Format = .text

    @Option(help: "Write here instead of standard output.")
    var output: String?

    @Argument(help: "Audio file (any format libsndfile reads; mixed to mono and resampled to 16 kHz).")
    var file: String

    func run() throws {
        let extractor = FbankExtractor()
        do {
            // Streamed in blocks, as any source would deliver them: a long file is never loaded whole.
            let reader = try AudioFileReader(path: file, targetSampleRate: Int(extractor.options.sampleRate))
            while let block = try reader.read(maxFrames: 16_000) { extractor.accept(block) }
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        extractor.inputFinished()
        let frames = extractor.framesReady, bins = extractor.options.numBins
        let values = extractor.frames(from: 0, count: frames)

        let data: Data
        switch format {
        case .npy:
            data = NPYEncoding.float32(values, shape: [frames, bins])
        case .text:
            var text = ""
            for frame in 0..<frames {
                text += values[(frame * bins)..<((frame + 1) * bins)].map { "\($0)" }.joined(separator: " ")
                text += "\n"
            }
            data = Data(text.utf8)
        }
        if let output {
            do {
                try data.write(to: URL(fileURLWithPath: output))
            } catch {
                printError("\(output): cannot write (\(error.localizedDescription))")
                throw ExitCode.failure
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
