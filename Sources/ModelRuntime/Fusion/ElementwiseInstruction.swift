/// One step of a fused elementwise loop (`ElementwiseOperation`): an operation on kernel inputs or
/// earlier results.
struct ElementwiseInstruction {
    enum Operation: Equatable {
        case add, sub, mul, div, max, min, square
        case abs, neg, exp, log, sigmoid, tanh, relu, sqrt, reciprocal
        case clip(Float, Float)
        /// first == value ? second : first (`ReplaceEqualKernel`).
        case replaceEqual(Float)

        var isUnary: Bool {
            switch self {
            case .add, .sub, .mul, .div, .max, .min, .replaceEqual: return false
            default: return true
            }
        }
    }

    enum Operand: Equatable {
        /// Kernel input `index`, as many elements as the output.
        case tensor(Int)
        /// Kernel input `index`, one value broadcast to every element.
        case scalar(Int)
        /// The result of instruction `index`.
        case result(Int)
    }

    var operation: Operation
    var first: Operand
    /// Unused by unary operations.
    var second: Operand
}
