/// Decodes whole audio files to text. One instance per thread: implementations need not be thread-safe.
public protocol UtteranceTranscriber: AnyObject {
    func transcribe(audioPath: String) throws -> Transcription
    /// Decodes with `hotwords` (phrases the search should prefer) for this file only.
    func transcribe(audioPath: String, hotwords: [String]) throws -> Transcription
}

extension UtteranceTranscriber {
    /// Transcribers without hotwords refuse them rather than ignore them.
    public func transcribe(audioPath: String, hotwords: [String]) throws -> Transcription {
        guard hotwords.isEmpty else { throw TranscriberError(reason: "this transcriber has no hotwords") }
        return try transcribe(audioPath: audioPath)
    }
}

public struct TranscriberError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// What a transcriber returns for one file.
public struct Transcription: Sendable {
    public var text: String
    /// Duration of the decoded audio.
    public var audioSeconds: Double
    /// CPU time of the recognition alone (file reading excluded), when the transcriber measures it;
    /// otherwise the evaluator measures the whole call.
    public var cpuSeconds: Double?

    public init(text: String, audioSeconds: Double, cpuSeconds: Double? = nil) {
        self.text = text
        self.audioSeconds = audioSeconds
        self.cpuSeconds = cpuSeconds
    }
}
