/// One utterance of a test set: its audio and the reference transcript as written in the set.
public struct EvaluationUtterance: Hashable, Sendable {
    public var id: String
    /// Absolute (or caller-relative) path of the audio file.
    public var audioPath: String
    /// Reference text as found in the set, before normalization.
    public var reference: String
    /// Where the reference was read.
    public var source: SourceLocation
    /// The utterance's contextual-biasing entry, when the evaluation has a biasing list: it is
    /// decoded with the entry's words as hotwords and scored for U-WER and B-WER.
    public var biasing: BiasingList.Entry?

    public init(id: String, audioPath: String, reference: String, source: SourceLocation,
                biasing: BiasingList.Entry? = nil) {
        self.id = id
        self.audioPath = audioPath
        self.reference = reference
        self.source = source
        self.biasing = biasing
    }
}
