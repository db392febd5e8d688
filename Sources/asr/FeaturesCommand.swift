import ArgumentParser
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

    @Argument(help: "Audio file (16 kHz mono WAV, 16-bit PCM or 32-bit float).")
    var file: String

    func run() throws {
        let samples: [Float]
        do {
            samples = try loadMonoSamples(path: file)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let extractor = FbankExtractor()
        // Fed in 1 s blocks, as a streaming source would deliver them.
        samples.withUnsafeBufferPointer { all in
            for start in stride(from: 0, to: all.count, by: 16000) {
                extractor.accept(UnsafeBufferPointer(rebasing: all[start..<min(start + 16000, all.count)]))
            }
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

/// Reads `path` as mono Float samples at 16 kHz.
/// Until the AudioIO reader (libsndfile + resampler) is wired in here, only 16 kHz WAV is read.
func loadMonoSamples(path: String) throws -> [Float] {
    try WAVFile.readMono16k(path: path)
}

/// Why a WAV file could not be read; the description is one line naming the file.
struct WAVReadError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): \(reason)" }
}

/// A minimal RIFF/WAVE reader: PCM 16-bit or IEEE float 32-bit, any channel count (averaged), 16 kHz.
enum WAVFile {
    static func readMono16k(path: String) throws -> [Float] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WAVReadError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            throw WAVReadError(path: path, reason: "not a RIFF/WAVE file")
        }
        var format: (code: Int, channels: Int, rate: Int, bits: Int)?
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = u32(offset + 4), body = offset + 8
            guard body + size <= bytes.count || bytes[offset..<(offset + 4)].elementsEqual("data".utf8) else {
                throw WAVReadError(path: path, reason: "truncated chunk")
            }
            if bytes[offset..<(offset + 4)].elementsEqual("fmt ".utf8), size >= 16 {
                format = (u16(body), u16(body + 2), u32(body + 4), u16(body + 14))
            } else if bytes[offset..<(offset + 4)].elementsEqual("data".utf8) {
                guard let format else { throw WAVReadError(path: path, reason: "data chunk before fmt chunk") }
                guard format.rate == 16000 else {
                    throw WAVReadError(path: path, reason: "sample rate \(format.rate) Hz, only 16000 Hz is read")
                }
                guard format.channels >= 1 else { throw WAVReadError(path: path, reason: "no channels") }
                let end = min(body + size, bytes.count)
                switch (format.code, format.bits) {
                case (1, 16), (0xFFFE, 16):
                    return decode(bytes, from: body, to: end, bytesPerSample: 2, channels: format.channels) { at in
                        Float(Int16(bitPattern: UInt16(u16(at)))) / 32768
                    }
                case (3, 32), (0xFFFE, 32):
                    return decode(bytes, from: body, to: end, bytesPerSample: 4, channels: format.channels) { at in
                        Float(bitPattern: UInt32(u32(at)))
                    }
                default:
                    throw WAVReadError(path: path, reason: "unsupported encoding (format \(format.code), \(format.bits) bits)")
                }
            }
            offset = body + size + (size & 1)
        }
        throw WAVReadError(path: path, reason: "no data chunk")
    }

    private static func decode(_ bytes: [UInt8], from start: Int, to end: Int, bytesPerSample: Int, channels: Int,
                               sample: (Int) -> Float) -> [Float] {
        let frameBytes = bytesPerSample * channels
        let frames = (end - start) / frameBytes
        return (0..<frames).map { frame in
            var sum: Float = 0
            for channel in 0..<channels { sum += sample(start + frame * frameBytes + channel * bytesPerSample) }
            return sum / Float(channels)
        }
    }
}
