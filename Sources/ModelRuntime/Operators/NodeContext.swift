/// A node with the types (and constant values, where known) of its inputs, handed to a kernel builder.
struct NodeContext {
    let node: Node
    /// The graph's value names, for messages.
    let names: ValueNames
    /// nil marks an omitted optional input.
    let inputs: [ValueInfo?]
    let path: String
    let opsetVersion: Int
    /// The onnxruntime CPU profile to round as (MatMulInteger's products, Softmax's lanes).
    let arithmetic: ReferenceArithmetic
    /// Per input: whether onnxruntime holds it as an initializer, which its kernels may prepack (MatMul's
    /// B). With graph optimizations its constant folding makes every value known at load one.
    let isInitializer: [Bool]

    func failure(_ reason: String) -> ModelLoadError {
        ModelLoadError(path: path, cause: .invalidGraph("\(node.opType) '\(node.label(in: names))': \(reason)"))
    }

    func input(_ index: Int) throws -> ValueInfo {
        guard index < inputs.count, let info = inputs[index] else {
            throw failure("missing input \(index)")
        }
        return info
    }

    func has(_ index: Int) -> Bool { index < inputs.count && inputs[index] != nil }

    /// An input whose value must be known at load (a shape, axes, a Pow exponent...).
    func constant(_ index: Int) throws -> Tensor {
        guard let tensor = try input(index).constant else {
            throw failure("input \(index) must be a constant after folding")
        }
        return tensor
    }

    func requireElement(_ index: Int, _ allowed: Set<ElementType>) throws -> ElementType {
        let element = try input(index).type.element
        guard allowed.contains(element) else { throw failure("input \(index) has unsupported type \(element)") }
        return element
    }

    /// Normalizes a possibly negative axis against a rank.
    func axis(_ value: Int, rank: Int) throws -> Int {
        let axis = value < 0 ? value + rank : value
        guard axis >= 0, axis < max(rank, 1) else { throw failure("axis \(value) out of range for rank \(rank)") }
        return axis
    }
}
