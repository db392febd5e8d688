/// Something wrong with one entry of a test set. The entry is skipped; the rest of the set is evaluated.
public struct SetProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The entry names an audio file that does not exist.
        case missingAudio(id: String, path: String)
        /// A transcript line whose utterance has no audio (absent from `wav.scp`, no file beside it).
        case transcriptWithoutAudio(id: String)
        /// An audio entry with no transcript line.
        case audioWithoutTranscript(id: String)
        /// The reference text is empty after normalization, so WER is undefined for it.
        case emptyText(id: String)
        /// The id was already defined at `first`.
        case duplicateID(id: String, first: SourceLocation)
        /// The line could not be parsed (broken JSON, missing field, `wav.scp` command instead of a path).
        case malformedLine(reason: String)
        /// The audio exists but could not be decoded.
        case undecodableAudio(id: String, reason: String)
        /// The evaluation has a biasing list without a line for this utterance.
        case missingBiasingEntry(id: String, list: String)
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The utterance the problem is about, when there is one.
    public var utteranceID: String? {
        switch kind {
        case .missingAudio(let id, _), .transcriptWithoutAudio(let id), .audioWithoutTranscript(let id),
             .emptyText(let id), .duplicateID(let id, _), .undecodableAudio(let id, _), .missingBiasingEntry(let id, _):
            return id
        case .malformedLine:
            return nil
        }
    }

    public var description: String {
        let cause: String
        switch kind {
        case .missingAudio(let id, let path): cause = "audio for '\(id)' not found: \(path)"
        case .transcriptWithoutAudio(let id): cause = "transcript for '\(id)' has no audio"
        case .audioWithoutTranscript(let id): cause = "audio '\(id)' has no transcript"
        case .emptyText(let id): cause = "empty reference text for '\(id)'"
        case .duplicateID(let id, let first): cause = "duplicate id '\(id)' (first at \(first))"
        case .malformedLine(let reason): cause = reason
        case .undecodableAudio(let id, let reason): cause = "could not decode '\(id)': \(reason)"
        case .missingBiasingEntry(let id, let list): cause = "'\(id)' has no line in the biasing list \(list)"
        }
        return "\(location): \(cause)"
    }
}
