/// When modified beam search adds hotword bonuses to the candidates of a frame.
public enum HotwordScoring: Sendable, Equatable {
    /// Inside a match, before the beam keeps its best (path, token) candidates: a token that
    /// continues the match competes with its bonus, and one that breaks it with the bonus taken
    /// back, so a rare word the audio began is followed through. A match starts as in sherpa-onnx
    /// (its first bonus after the choice), the candidate that ranks first without bonuses and the
    /// best one outside every match always stay, the best path is chosen without the bonus of an
    /// unfinished match, and a phrase counts only where its last word ends (the default).
    case beforePruning
    /// After the beam has kept its best candidates by acoustic score alone, as sherpa-onnx does: a
    /// hotword token outside the acoustic top k is never considered. For comparisons with it.
    case afterPruning
}
