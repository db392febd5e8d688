/// A compute step bound at load to fixed shapes and types. `run` reads its inputs and writes its
/// outputs through pointers resolved at load; it must not allocate.
///
/// A kernel is read-only once made, so one kernel serves every instance of its graph on any
/// thread: what a run writes besides its outputs goes to the instance's `StepMemory`. Kernels are
/// made only where they run (folding, lowering), so making one may allocate what it keeps.
protocol Kernel: AnyObject {
    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory)
    /// Bytes the kernel allocated at load for itself (repacked weights, tables), shared by instances.
    var ownedBytes: Int { get }
    /// Bytes of `memory.own`: the step's alone, zeroed when the instance is made, kept between runs
    /// (for buffers whose padding must stay zero).
    var scratchBytes: Int { get }
    /// Bytes of `memory.shared`: working memory every step of the instance reuses, whose contents
    /// are undefined when a run starts.
    var workspaceBytes: Int { get }
}

extension Kernel {
    var ownedBytes: Int { 0 }
    var scratchBytes: Int { 0 }
    var workspaceBytes: Int { 0 }
}

/// What building a node produced.
enum KernelPlan {
    /// An operation that computes the outputs, with their types.
    case compute(NodeOperation, outputs: [TensorType])
    /// Output 0 is input 0's bytes under another shape (Reshape, Squeeze, Unsqueeze, Identity).
    case alias(TensorType)
    /// The node's only output is this tensor, known at load (Constant).
    case constant(Tensor)
}

/// What the compiler knows about one value while specializing.
struct ValueInfo {
    var type: TensorType
    var constant: Tensor?
}

/// A node with the types (and constant values, where known) of its inputs, handed to a kernel builder.
struct NodeContext {
    let node: Node
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
        ModelLoadError(path: path, cause: .invalidGraph("\(node.opType) '\(node.label)': \(reason)"))
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
