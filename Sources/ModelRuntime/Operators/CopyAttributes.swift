/// A strided view of a tensor copied out (Transpose, Slice, Expand, Tile).
struct CopyAttributes {
    /// Element bytes.
    let width: Int
    let outputShape: [Int]
    /// One per output dimension, in elements (may be 0 or negative).
    let inputStrides: [Int]
    let baseOffset: Int
    /// Set for Transpose: output axis i is input axis `permutation[i]`.
    let permutation: [Int]?
}
