/// One step of the specialized graph: an ONNX node, an operation fusion made, or a view of another value.
struct PlannedStep {
    indirect enum Kind {
        /// A node as its builder described it; lowering makes its reference kernel or picks another.
        case node(NodeOperation)
        case fused(FusedOperation)
        case alias
    }

    var kind: Kind
    var opType: String
    /// `ValueID.omitted` for an omitted optional input.
    var inputs: [ValueID]
    var outputs: [ValueID]

    /// Whether the step writes its outputs (not a view of its input).
    var computes: Bool {
        if case .alias = kind { return false }
        return true
    }

    /// Whether the step reads its own output of the last run: the planner gives it bytes of its own
    /// that live as long as the instance, as a graph output's.
    var keepsOutputBetweenRuns: Bool {
        if case .fused(.packedMatMul(let operation)) = kind { return operation.reusesRows }
        return false
    }

    /// Whether output 0 may be computed in input 0's bytes (when nothing reads input 0 afterwards).
    var mayOverwriteFirstInput: Bool {
        if case .node(.scatter) = kind { return true }
        return false
    }
}
