/// Why an audio file cannot be read; `description` is one line naming the file and the cause.
public struct AudioFileError: Error, CustomStringConvertible, Equatable {
    public enum Cause: Equatable, Sendable {
        case missing
        case isDirectory
        case empty
        case unreadable(String)
        case unsupported(String)
        case noChannels
        case invalidSampleRate(Int)
        /// A rate so unlike the target that resampling would need a huge filter.
        case impracticalSampleRate(Int, target: Int)
        case noAudio
        case readFailed(String)
    }

    public let path: String
    public let cause: Cause

    public init(path: String, cause: Cause) {
        self.path = path
        self.cause = cause
    }

    public var description: String {
        let reason: String
        switch cause {
        case .missing: reason = "no such file"
        case .isDirectory: reason = "is a directory, not an audio file"
        case .empty: reason = "empty file (0 bytes)"
        case .unreadable(let detail): reason = "cannot open: \(detail)"
        case .unsupported(let detail): reason = "not a readable audio file (\(detail))"
        case .noChannels: reason = "audio header declares zero channels"
        case .invalidSampleRate(let rate): reason = "unusable sample rate \(rate) Hz (supported: \(AudioFileReader.supportedSampleRates.lowerBound)...\(AudioFileReader.supportedSampleRates.upperBound) Hz)"
        case .impracticalSampleRate(let rate, let target):
            let weights = ResamplingFilter.weightCount(inputRate: rate, outputRate: target)
            reason = "sample rate \(rate) Hz cannot be resampled to \(target) Hz (a filter of \(weights) weights, at most \(ResamplingFilter.maximumWeights))"
        case .noAudio: reason = "contains no audio samples"
        case .readFailed(let detail): reason = "read failed: \(detail)"
        }
        return "\(path): \(reason)"
    }
}
