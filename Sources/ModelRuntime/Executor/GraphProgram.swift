/// An ONNX graph compiled for fixed shapes: a flat list of kernel calls whose operands are places in
/// an instance's memory (arena, persistent region, scratch) or constants. Read-only once built, so one
/// program serves any number of `GraphInstance`s on any threads; weights and packed kernels exist once.
public final class GraphProgram: @unchecked Sendable {
    public let path: String
    /// The model's `metadata_props`.
    public let metadata: [String: String]
    public let inputNames: [String]
    public let outputNames: [String]
    public let memoryPlan: MemoryPlan
    /// Kernel calls per operator type after folding and dead-step removal.
    public let operatorCounts: [String: Int]

    /// Where a step's operand lives.
    enum Place {
        case constant(UnsafeMutableRawPointer)
        case arena(Int)
        case persistent(Int)
    }

    struct Call {
        let opType: String
        /// The step's first output, naming it in profiles.
        let label: String
        let kernel: Kernel
        let inputs: [Place]
        let outputs: [Place]
        /// Offset of the step's private scratch in the instance's scratch region.
        let scratchOffset: Int
    }

    let calls: [Call]
    let copies: [(source: Place, target: Place, bytes: Int)]
    let inputPlaces: [Place]
    let outputPlaces: [Place]
    private let types: [String: TensorType]
    /// Keeps weights and folded values alive.
    private let constants: [Tensor]

    /// Loads `path` and compiles it as `options` say; `inputShapes` overrides declared input shapes
    /// (symbolic dims default to 1). `additionalOutputs` names intermediate values to keep readable
    /// after a run. With `carriedStatePrefix` ("new_" for sherpa-onnx's streaming encoders), an
    /// output named prefix + X is the state the caller hands back as input X in the next run: where
    /// nothing reads X after the output is begun, the output is computed in X's bytes, and
    /// `output(at:)` and `input(at:)` are then the same pointer (the caller's copy is a no-op).
    public init(path: String, inputShapes: [String: [Int]] = [:], additionalOutputs: [String] = [],
                carriedStatePrefix: String? = nil, options: CompileOptions = .init()) throws {
        // The int8 matrices are packed on another thread from the moment they are read, for lowering.
        var prepacked: Int8WeightPrepacking?
        let graph = try GraphReader.read(path: path) { initializers in
            if options.kernels != .reference { prepacked = Int8WeightPrepacking(initializers.map(\.tensor)) }
        }
        let graphMetadata = graph.metadata
        // The graph goes to the specializer, which lets each weight go once it is used up.
        var specialized = try Specializer.specialize(consume graph, inputShapes: inputShapes, additionalOutputs: additionalOutputs,
                                                     arithmetic: options.arithmetic, foldsLikeOnnxRuntime: options.kernels == .fast)
        if options.kernels != .reference {
            specialized = GraphFusion.apply(specialized, options: options)
        }
        let names = specialized.names
        var carriedStates: [ValueID: ValueID] = [:]
        if let prefix = carriedStatePrefix, !prefix.isEmpty {
            for output in specialized.outputs where names[output].hasPrefix(prefix) {
                if let input = names.id(of: String(names[output].dropFirst(prefix.count))), specialized.inputs.contains(input),
                   specialized.values[input]?.type == specialized.values[output]?.type {
                    carriedStates[output] = input
                }
            }
        }
        // The memory plan does not depend on the kernels, so it is made while they are.
        var plannedMemory: MemoryPlanner.Result?
        let kernels = Lowering.kernels(for: specialized, options: options, prepacked: prepacked) {
            plannedMemory = MemoryPlanner.plan(specialized, carriedStates: carriedStates)
        }
        guard let plan = plannedMemory else { preconditionFailure("Lowering.kernels runs its alongside work") }
        self.path = path
        metadata = graphMetadata
        inputNames = specialized.inputs.map { names[$0] }
        outputNames = specialized.outputs.map { names[$0] }
        var types: [String: TensorType] = [:]
        for value in specialized.inputs + specialized.outputs { types[names[value]] = specialized.values[value]?.type }
        self.types = types

        var usedConstants: [ValueID: Tensor] = [:]
        func place(_ value: ValueID) throws -> Place {
            switch plan.placements[value] {
            case .constant(let key)?:
                guard let tensor = specialized.values[key]?.constant else { break }
                usedConstants[key] = tensor
                return .constant(tensor.pointer)
            case .arena(let offset)?: return .arena(offset)
            case .persistent(let offset)?: return .persistent(offset)
            case nil: break
            }
            throw ModelLoadError(path: path, cause: .invalidGraph("value '\(names[value])' has no storage"))
        }

        var calls: [Call] = []
        var counts: [String: Int] = [:]
        var scratch = ScratchLayout(), workspaceBytes = 0
        for (step, kernel) in zip(specialized.steps, kernels) {
            guard let kernel else { continue }
            // An omitted optional input points at the arena's start; its kernel never reads it.
            let inputs = try step.inputs.map { $0.isOmitted ? Place.arena(0) : try place($0) }
            calls.append(Call(opType: step.opType, label: step.outputs.first.map { names[$0] } ?? "", kernel: kernel, inputs: inputs,
                              outputs: try step.outputs.map(place),
                              scratchOffset: scratch.reserve(UInt8.self, count: kernel.scratchBytes)))
            counts[step.opType, default: 0] += 1
            workspaceBytes = Swift.max(workspaceBytes, kernel.workspaceBytes)
        }
        self.calls = calls
        copies = try plan.finalCopies.map { output, offset in
            (try place(output), Place.persistent(offset), specialized.values[output]?.type.byteCount ?? 0)
        }
        operatorCounts = counts
        inputPlaces = try specialized.inputs.map(place)
        outputPlaces = try specialized.outputs.map { output in
            if let copy = plan.finalCopies.first(where: { $0.output == output }) { return .persistent(copy.offset) }
            return try place(output)
        }
        constants = Array(usedConstants.values)
        memoryPlan = MemoryPlan(arenaBytes: plan.arenaBytes, persistentBytes: plan.persistentBytes, scratchBytes: scratch.bytes,
                                workspaceBytes: workspaceBytes,
                                constantBytes: constants.reduce(0) { $0 + $1.type.byteCount },
                                kernelBytes: calls.reduce(0) { $0 + $1.kernel.ownedBytes }, stepCount: calls.count)
    }

    /// The specialized type of a graph input or output.
    public func type(of name: String) -> TensorType? { types[name] }

    public func inputIndex(_ name: String) -> Int? { inputNames.firstIndex(of: name) }
    public func outputIndex(_ name: String) -> Int? { outputNames.firstIndex(of: name) }

    /// New memory to run the program in (inputs and states zeroed).
    public func makeInstance() -> GraphInstance { GraphInstance(program: self) }
}
