/// The Where that replaces an attention layer's masked scores by a fill value, as strided views of
/// its condition and fill.
struct AttentionMask {
    let condition: MatrixView
    let fill: MatrixView
    /// Where(condition, fill, scores) when true, Where(condition, scores, fill) when false.
    let fillWhereTrue: Bool
}
