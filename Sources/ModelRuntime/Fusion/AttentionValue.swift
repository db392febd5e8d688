/// A product of an attention layer's weights with a value tensor: the values' strided view, their
/// width, and the result's view.
struct AttentionValue {
    let view: MatrixView
    let width: Int
    let output: MatrixView
}
