import Dispatch

/// An ONNX graph compiled for fixed shapes: a flat list of kernel calls over pointers resolved at
/// load into one arena (intermediates), one persistent region (inputs, outputs) and the constants.
/// `run()` allocates nothing.
public final class CompiledGraph {
    public let path: String
    /// The model's `metadata_props`.
    public let metadata: [String: String]
    public let inputNames: [String]
    public let outputNames: [String]
    public let memoryPlan: MemoryPlan
    /// Kernel calls per operator type after folding and dead-step removal.
    public let operatorCounts: [String: Int]

    private struct Call {
        let opType: String
        /// The step's first output, naming it in profiles.
        let label: String
        let kernel: Kernel
        let inputs: UnsafeMutablePointer<UnsafeRawPointer>
        let outputs: UnsafeMutablePointer<UnsafeMutableRawPointer>
    }

    private let calls: [Call]
    /// `calls` without the names, its kernels unowned (`calls` keeps them alive): `run()` walks it
    /// without reference counting, which per step cost as much as a small kernel.
    private struct Dispatch {
        unowned(unsafe) let kernel: Kernel
        let inputs: UnsafeMutablePointer<UnsafeRawPointer>
        let outputs: UnsafeMutablePointer<UnsafeMutableRawPointer>
    }
    private let dispatches: UnsafeMutablePointer<Dispatch>
    private let copies: [(source: UnsafeRawPointer, target: UnsafeMutableRawPointer, bytes: Int)]
    private let arena: UnsafeMutableRawPointer
    private let persistent: UnsafeMutableRawPointer
    private let types: [String: TensorType]
    private let inputPointers: [UnsafeMutableRawPointer]
    private let outputPointers: [UnsafeRawPointer]
    /// Keeps weights and folded values alive.
    private let constants: [Tensor]

    /// Loads `path` and specializes it; `inputShapes` overrides declared input shapes (symbolic dims
    /// default to 1). `additionalOutputs` names intermediate values to keep readable after `run()`.
    /// `mode` chooses fused kernels (`.optimized`) or the graph's own arithmetic (`.reference`).
    /// `quantizesFloatWeights` (`.optimized` only) turns fp32 `Gemm`/`MatMul` steps with constant
    /// weights of at least 4096 values into int8 linears ("QuantizedLinear": per-column weight scales,
    /// activations quantized per row); false keeps them fp32, equal to `.reference`.
    /// `requantizesInt8Weights` (`.optimized` only) runs the graph's int8 linears (per-tensor weight
    /// scale, activations quantized per tensor) in that same per-channel, per-row scheme, the weights
    /// requantized at load; false (the default) keeps onnxruntime's arithmetic, bit for bit.
    /// `arithmetic` is the onnxruntime CPU profile whose rounding the kernels reproduce: by default
    /// this CPU's (`ReferenceArithmetic.host`); a fixture made on another kind of CPU names its own.
    public convenience init(path: String, inputShapes: [String: [Int]] = [:], additionalOutputs: [String] = [],
                            mode: ExecutionMode = .optimized, quantizesFloatWeights: Bool = true,
                            requantizesInt8Weights: Bool = false, arithmetic: ReferenceArithmetic = .host) throws {
        try self.init(graph: try GraphReader.read(path: path), inputShapes: inputShapes, additionalOutputs: additionalOutputs,
                      mode: mode, quantizesFloatWeights: quantizesFloatWeights, requantizesInt8Weights: requantizesInt8Weights,
                      arithmetic: arithmetic)
    }

    init(graph: Graph, inputShapes: [String: [Int]], additionalOutputs: [String] = [], mode: ExecutionMode = .optimized,
         quantizesFloatWeights: Bool = true, requantizesInt8Weights: Bool = false, arithmetic: ReferenceArithmetic = .host) throws {
        var specialized = try Specializer.specialize(graph, inputShapes: inputShapes, additionalOutputs: additionalOutputs,
                                                     arithmetic: arithmetic, foldsLikeOnnxRuntime: mode == .onnxRuntimeOptimized)
        if mode != .reference {
            specialized = GraphFusion.apply(specialized, quantizesFloatWeights: quantizesFloatWeights,
                                            convolutionsInOnnxRuntimeOrder: mode == .onnxRuntimeOptimized,
                                            requantizesInt8Weights: requantizesInt8Weights, arithmetic: arithmetic)
        }
        let plan = MemoryPlanner.plan(specialized)
        path = graph.path
        metadata = graph.metadata
        inputNames = specialized.inputs
        outputNames = specialized.outputs
        types = specialized.values.mapValues(\.type)
        arena = .allocate(byteCount: max(plan.arenaBytes, MemoryPlanner.alignment), alignment: MemoryPlanner.alignment)
        persistent = .allocate(byteCount: max(plan.persistentBytes, MemoryPlanner.alignment), alignment: MemoryPlanner.alignment)
        persistent.initializeMemory(as: UInt8.self, repeating: 0, count: max(plan.persistentBytes, MemoryPlanner.alignment))
        arena.initializeMemory(as: UInt8.self, repeating: 0, count: max(plan.arenaBytes, MemoryPlanner.alignment))

        var usedConstants: [String: Tensor] = [:]
        let arena = self.arena, persistent = self.persistent
        func pointer(_ name: String) throws -> UnsafeMutableRawPointer {
            switch plan.placements[name] {
            case .constant(let key)?:
                guard let tensor = specialized.values[key]?.constant else { break }
                usedConstants[key] = tensor
                return tensor.pointer
            case .arena(let offset)?: return arena + offset
            case .persistent(let offset)?: return persistent + offset
            case nil: break
            }
            throw ModelLoadError(path: graph.path, cause: .invalidGraph("value '\(name)' has no storage"))
        }

        var calls: [Call] = []
        var counts: [String: Int] = [:]
        for step in specialized.steps {
            guard case .compute(let kernel) = step.kind else { continue }
            kernel.prepare()
            let inputs = UnsafeMutablePointer<UnsafeRawPointer>.allocate(capacity: max(step.inputs.count, 1))
            for (i, name) in step.inputs.enumerated() {
                inputs[i] = UnsafeRawPointer(name.isEmpty ? arena : try pointer(name))
            }
            let outputs = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: max(step.outputs.count, 1))
            for (i, name) in step.outputs.enumerated() { outputs[i] = try pointer(name) }
            calls.append(Call(opType: step.opType, label: step.outputs.first ?? "", kernel: kernel, inputs: inputs, outputs: outputs))
            counts[step.opType, default: 0] += 1
        }
        var copies: [(UnsafeRawPointer, UnsafeMutableRawPointer, Int)] = []
        for (output, source) in plan.finalCopies {
            copies.append((UnsafeRawPointer(try pointer(source)), try pointer("\(output)#copy"), types[output]?.byteCount ?? 0))
        }
        self.calls = calls
        dispatches = .allocate(capacity: max(calls.count, 1))
        for (index, call) in calls.enumerated() {
            (dispatches + index).initialize(to: Dispatch(kernel: call.kernel, inputs: call.inputs, outputs: call.outputs))
        }
        self.copies = copies
        operatorCounts = counts
        inputPointers = try specialized.inputs.map(pointer)
        outputPointers = try specialized.outputs.map { name in
            UnsafeRawPointer(try pointer(plan.finalCopies.contains { $0.output == name } ? "\(name)#copy" : name))
        }
        constants = Array(usedConstants.values)
        memoryPlan = MemoryPlan(arenaBytes: plan.arenaBytes, persistentBytes: plan.persistentBytes,
                                constantBytes: constants.reduce(0) { $0 + $1.type.byteCount },
                                kernelBytes: calls.reduce(0) { $0 + $1.kernel.ownedBytes }, stepCount: calls.count)
    }

    deinit {
        for call in calls {
            call.inputs.deallocate()
            call.outputs.deallocate()
        }
        dispatches.deinitialize(count: calls.count)
        dispatches.deallocate()
        arena.deallocate()
        persistent.deallocate()
    }

    /// The specialized type of a graph input or output.
    public func type(of name: String) -> TensorType? { types[name] }

    public func inputIndex(_ name: String) -> Int? { inputNames.firstIndex(of: name) }
    public func outputIndex(_ name: String) -> Int? { outputNames.firstIndex(of: name) }

    /// Where the caller writes input `index` before `run()`; stays valid for the graph's lifetime.
    public func input(at index: Int) -> UnsafeMutableRawPointer { inputPointers[index] }
    /// Where output `index` is after `run()`; stays valid for the graph's lifetime.
    public func output(at index: Int) -> UnsafeRawPointer { outputPointers[index] }

    /// Runs the graph `iterations` times and returns the seconds spent per operator type, per run
    /// (for benchmarks; the clock reads add overhead).
    public func profile(iterations: Int) -> [String: Double] {
        var seconds: [String: Double] = [:]
        for _ in 0..<max(iterations, 1) {
            for call in calls {
                let start = DispatchTime.now().uptimeNanoseconds
                call.kernel.run(call.inputs, call.outputs)
                seconds[call.opType, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
            for copy in copies { copy.target.copyMemory(from: copy.source, byteCount: copy.bytes) }
        }
        return seconds.mapValues { $0 / Double(max(iterations, 1)) }
    }

    /// Runs the graph `iterations` times and returns the seconds each step spent per run, in step
    /// order, with its operator type, first output and kernel (for benchmarks).
    public func profileSteps(iterations: Int) -> [(opType: String, output: String, kernel: String, seconds: Double)] {
        var seconds = [Double](repeating: 0, count: calls.count)
        for _ in 0..<max(iterations, 1) {
            for (index, call) in calls.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                call.kernel.run(call.inputs, call.outputs)
                seconds[index] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
            for copy in copies { copy.target.copyMemory(from: copy.source, byteCount: copy.bytes) }
        }
        return zip(calls, seconds).map { call, total in
            (call.opType, call.label, String(describing: Swift.type(of: call.kernel)), total / Double(max(iterations, 1)))
        }
    }

    /// Runs every step once over the current inputs.
    public func run() {
        for index in 0..<calls.count {
            let step = dispatches[index]
            step.kernel.run(step.inputs, step.outputs)
        }
        for copy in copies { copy.target.copyMemory(from: copy.source, byteCount: copy.bytes) }
    }
}
