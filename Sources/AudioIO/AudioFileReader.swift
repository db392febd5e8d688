import CSndFile
import Foundation

/// Reads any file libsndfile understands (WAV, FLAC, Ogg Vorbis/Opus, NIST SPHERE, ...) block by
/// block and delivers mono `Float` samples at `targetSampleRate`.
///
/// Channels are averaged; integer PCM is scaled to [-1, 1) by libsndfile. A long file is never
/// loaded whole: each `read` decodes at most `maxFrames` source frames.
public final class AudioFileReader {
    /// Rates outside this range are treated as a broken header rather than audio.
    public static let supportedSampleRates = 1_000...768_000

    public let path: String
    public let sourceSampleRate: Int
    public let channelCount: Int
    public let targetSampleRate: Int
    /// Source frames as declared by the header.
    public let sourceFrameCount: Int
    /// A short name of the container and encoding, e.g. "WAV PCM_16".
    public let formatName: String

    private var handle: OpaquePointer?
    private var interleaved: [Float] = []
    private var mono: [Float] = []
    private let resampler: Resampler?
    private var finished = false

    /// Duration in seconds as declared by the header.
    public var duration: Double { Double(sourceFrameCount) / Double(sourceSampleRate) }

    public init(path: String, targetSampleRate: Int = 16_000) throws {
        self.path = path
        self.targetSampleRate = targetSampleRate
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioFileError(path: path, cause: .missing)
        }
        if isDirectory.boolValue { throw AudioFileError(path: path, cause: .isDirectory) }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw AudioFileError(path: path, cause: .unreadable("permission denied"))
        }
        if (attributes[.size] as? NSNumber)?.intValue == 0 { throw AudioFileError(path: path, cause: .empty) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw AudioFileError(path: path, cause: .unreadable("permission denied"))
        }

        var info = SF_INFO()
        guard let opened = sf_open(path, Int32(SFM_READ), &info) else {
            let detail = String(cString: sf_strerror(nil))
            throw AudioFileError(path: path, cause: .unsupported("libsndfile: \(detail)"))
        }
        // From here on the handle must be closed on every exit.
        guard info.channels > 0 else {
            sf_close(opened)
            throw AudioFileError(path: path, cause: .noChannels)
        }
        guard Self.supportedSampleRates.contains(Int(info.samplerate)) else {
            sf_close(opened)
            throw AudioFileError(path: path, cause: .invalidSampleRate(Int(info.samplerate)))
        }
        guard Int(info.samplerate) == targetSampleRate || ResamplingFilter.weightCount(
            inputRate: Int(info.samplerate), outputRate: targetSampleRate) <= ResamplingFilter.maximumWeights else {
            sf_close(opened)
            throw AudioFileError(path: path, cause: .impracticalSampleRate(Int(info.samplerate), target: targetSampleRate))
        }
        guard info.frames > 0 else {
            sf_close(opened)
            throw AudioFileError(path: path, cause: .noAudio)
        }
        handle = opened
        sourceSampleRate = Int(info.samplerate)
        channelCount = Int(info.channels)
        sourceFrameCount = Int(info.frames)
        formatName = Self.describe(format: info.format)
        resampler = sourceSampleRate == targetSampleRate
            ? nil : Resampler(inputRate: sourceSampleRate, outputRate: targetSampleRate)
    }

    deinit {
        if let handle { sf_close(handle) }
    }

    /// Decodes up to `maxFrames` source frames and returns them as mono samples at the target rate,
    /// or nil once the file is exhausted. A block may be empty while the resampler fills its history.
    public func read(maxFrames: Int = 16_000) throws -> [Float]? {
        guard !finished, let handle else { return nil }
        let frames = max(1, maxFrames)
        if interleaved.count < frames * channelCount { interleaved = [Float](repeating: 0, count: frames * channelCount) }
        if mono.count < frames { mono = [Float](repeating: 0, count: frames) }
        let got = interleaved.withUnsafeMutableBufferPointer { buffer in
            Int(sf_readf_float(handle, buffer.baseAddress, sf_count_t(frames)))
        }
        if got < frames {
            let status = sf_error(handle)
            if status != 0 {
                finished = true
                throw AudioFileError(path: path, cause: .readFailed(String(cString: sf_strerror(handle))))
            }
        }
        interleaved.withUnsafeBufferPointer { source in
            mono.withUnsafeMutableBufferPointer { destination in
                Downmix.average(interleaved: source, channels: channelCount, frames: got, into: destination)
            }
        }
        let block = Array(mono[0..<got])
        if got == 0 { finished = true }
        guard let resampler else { return got == 0 ? nil : block }
        var output = resampler.process(block)
        if got == 0 {
            output += resampler.flush()
            return output.isEmpty ? nil : output
        }
        return output
    }

    /// Reads the whole file; for tests and short clips (long audio should be read block by block).
    public func readAll() throws -> [Float] {
        var samples: [Float] = []
        while let block = try read(maxFrames: 65_536) { samples += block }
        return samples
    }

    private static func describe(format: Int32) -> String {
        var major = SF_FORMAT_INFO()
        major.format = format & Int32(SF_FORMAT_TYPEMASK)
        var subtype = SF_FORMAT_INFO()
        subtype.format = format & Int32(SF_FORMAT_SUBMASK)
        let majorSize = Int32(MemoryLayout<SF_FORMAT_INFO>.size)
        let majorName = sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &major, majorSize) == 0 && major.name != nil
            ? String(cString: major.name) : "unknown"
        let subtypeName = sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &subtype, majorSize) == 0 && subtype.name != nil
            ? String(cString: subtype.name) : "unknown"
        return "\(majorName), \(subtypeName)"
    }
}
