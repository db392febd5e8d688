/// What building a node produced.
enum KernelPlan {
    /// An operation that computes the outputs, with their types.
    case compute(NodeOperation, outputs: [TensorType])
    /// Output 0 is input 0's bytes under another shape (Reshape, Squeeze, Unsqueeze, Identity).
    case alias(TensorType)
    /// The node's only output is this tensor, known at load (Constant).
    case constant(Tensor)
}
