/// When modified beam search adds hotword bonuses to the candidates of a frame.
public enum HotwordScoring: Sendable, Equatable {
    /// Before the beam keeps its best (path, token) candidates: a token that continues a hotword
    /// competes with its bonus, and one that breaks a match with the bonus taken back, so the beam
    /// keeps the candidates that rank best by the score it ranks paths on; the candidate that ranks
    /// first without bonuses always stays, and the best path is chosen without the bonus of an
    /// unfinished match (the default).
    case beforePruning
    /// After the beam has kept its best candidates by acoustic score alone, as sherpa-onnx does: a
    /// hotword token outside the acoustic top k is never considered. For comparisons with it.
    case afterPruning
}
