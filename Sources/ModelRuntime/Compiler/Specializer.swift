/// Specializes a graph for fixed input shapes: runs shape inference with the operator builders,
/// evaluates every node whose inputs are all known at load with its reference kernel (constant
/// folding), and drops what no output needs.
enum Specializer {
    /// Consumes `graph`: its initializers live on in the result only as long as something reads them.
    static func specialize(_ graph: consuming Graph, inputShapes: [String: [Int]],
                           additionalOutputs: [String] = [], arithmetic: ReferenceArithmetic = .host,
                           foldsLikeOnnxRuntime: Bool = false) throws -> SpecializedGraph {
        let path = graph.path, names = graph.names
        func invalid(_ reason: String) -> ModelLoadError { ModelLoadError(path: path, cause: .invalidGraph(reason)) }

        // Unsupported operators are reported together, by name, before anything runs.
        var unsupported: [String] = []
        for node in graph.nodes where !OperatorRegistry.isSupported(node) {
            let name = node.domain.isEmpty || node.domain == "ai.onnx" ? node.opType : "\(node.domain).\(node.opType)"
            if !unsupported.contains(name) { unsupported.append(name) }
        }
        if !unsupported.isEmpty { throw ModelLoadError(path: path, cause: .unsupportedOperators(unsupported)) }

        var values = ValueMap<ValueInfo>(capacity: names.count)
        for (value, tensor) in graph.initializers { values[value] = ValueInfo(type: tensor.type, constant: tensor) }
        for input in graph.inputs {
            guard let element = input.element else {
                throw invalid("input '\(input.name)' has unsupported element type \(input.elementCode)")
            }
            // Symbolic dimensions are the batch: specialize to 1.
            let shape = inputShapes[input.name] ?? input.shape.map { $0 ?? 1 }
            guard TensorType(element, shape).isPlannable else {
                throw invalid("input '\(input.name)' has shape \(shape), not a valid shape of at most \(TensorType.maximumByteCount >> 20) MiB")
            }
            values[input.value] = ValueInfo(type: TensorType(element, shape), constant: nil)
        }

        // Values onnxruntime holds as initializers: the graph's, Constant nodes' outputs and, with
        // graph optimizations, what its constant folding computes from them. It does not know input
        // shapes (the batch is symbolic), so values that depend on one are not among them.
        var onnxRuntimeInitializers = ValueSet(graph.initializers.map(\.value), capacity: names.count)
        var steps: [PlannedStep] = []
        steps.reserveCapacity(graph.nodes.count)
        let order = try topologicalOrder(graph)

        // A constant is let go once no node will read it and no step or graph output does (a raw
        // weight a folded node has scaled, the intermediates of a chain folded at load), not at the
        // end of the compile: in a conformer those are several copies of every attention weight.
        var pendingReads = ValueMap<Int>(capacity: names.count)
        for node in order { for input in node.inputs where !input.isOmitted { pendingReads[input, default: 0] += 1 } }
        var kept = ValueSet(graph.outputs.map(\.value), capacity: names.count)
        graph.initializers = []
        for node in order {
            defer {
                for input in node.inputs where !input.isOmitted {
                    pendingReads[input, default: 0] -= 1
                    if pendingReads[input] == 0, !kept.contains(input), values[input]?.constant != nil { values[input] = nil }
                }
            }
            let inputs: [ValueInfo?] = node.inputs.map { $0.isOmitted ? nil : values[$0] }
            let context = NodeContext(node: node, names: names, inputs: inputs, path: path, opsetVersion: graph.opsetVersion,
                                      arithmetic: arithmetic,
                                      isInitializer: node.inputs.map(onnxRuntimeInitializers.contains))
            if node.opType == "Constant" || (foldsLikeOnnxRuntime && !node.inputs.isEmpty
                                             && node.inputs.allSatisfy({ $0.isOmitted || onnxRuntimeInitializers.contains($0) })) {
                for output in node.outputs where !output.isOmitted { onnxRuntimeInitializers.insert(output) }
            }
            guard let builder = OperatorRegistry.builders[node.opType] else { continue }
            let plan = try builder(context)
            let planned: [TensorType]
            switch plan {
            case .constant(let tensor): planned = [tensor.type]
            case .alias(let type): planned = [type]
            case .compute(_, let types): planned = types
            }
            if let type = planned.first(where: { !$0.isPlannable }) {
                throw context.failure("output \(type) is not a valid shape of at most \(TensorType.maximumByteCount >> 20) MiB")
            }
            let allConstant = inputs.allSatisfy { $0 == nil || $0?.constant != nil }
            // Outputs a node omits still get storage: name them after the node.
            let outputs = node.outputs.enumerated().map {
                $0.element.isOmitted ? names.intern("\(node.label(in: names))#\($0.offset)") : $0.element
            }
            switch plan {
            case .constant(let tensor):
                guard let name = outputs.first else { throw invalid("\(node.label(in: names)) has no output") }
                values[name] = ValueInfo(type: tensor.type, constant: tensor)
            case .alias(let type):
                guard let name = outputs.first, let source = inputs.first ?? nil else {
                    throw invalid("\(node.label(in: names)) has no input")
                }
                if let constant = source.constant {
                    values[name] = ValueInfo(type: type, constant: Tensor(reshaping: constant, to: type.shape))
                } else {
                    values[name] = ValueInfo(type: type, constant: nil)
                    kept.insert(node.inputs[0])
                    steps.append(PlannedStep(kind: .alias, opType: node.opType, inputs: [node.inputs[0]], outputs: [name]))
                }
            case .compute(let operation, let types):
                guard types.count >= outputs.count else { throw invalid("\(node.label(in: names)) declares too many outputs") }
                if allConstant {
                    let results = types.map { Tensor(type: $0) }
                    fold(Lowering.referenceKernel(operation), inputs: inputs, outputs: results)
                    for (name, tensor) in zip(outputs, results) { values[name] = ValueInfo(type: tensor.type, constant: tensor) }
                } else {
                    // Kernels write every output they have; unnamed extras get names too.
                    let allOutputs = types.indices.map { $0 < outputs.count ? outputs[$0] : names.intern("\(node.label(in: names))#\($0)") }
                    for (name, type) in zip(allOutputs, types) { values[name] = ValueInfo(type: type, constant: nil) }
                    for input in node.inputs { kept.insert(input) }
                    steps.append(PlannedStep(kind: .node(operation), opType: node.opType, inputs: node.inputs, outputs: allOutputs))
                }
            }
        }

        for output in graph.outputs where values[output.value] == nil {
            throw invalid("output '\(output.name)' is not produced by any node")
        }
        // Extra values to expose (for inspection); constants and unknown names are skipped.
        let extra = additionalOutputs.compactMap(names.id(of:)).filter { values[$0] != nil && values[$0]?.constant == nil }
        let outputs = graph.outputs.map(\.value) + extra.filter { value in !graph.outputs.contains { $0.value == value } }
        let live = DeadStepElimination.liveSteps(steps, outputs: outputs, valueCount: names.count)
        return SpecializedGraph(names: names, values: values, steps: live, inputs: graph.inputs.map(\.value), outputs: outputs)
    }

    private static func fold(_ kernel: Kernel, inputs: [ValueInfo?], outputs: [Tensor]) {
        var layout = ScratchLayout()
        let ownOffset = layout.reserve(UInt8.self, count: kernel.scratchBytes)
        let sharedOffset = layout.reserve(UInt8.self, count: kernel.workspaceBytes)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: layout.bytes, alignment: ScratchLayout.alignment)
        scratch.initializeMemory(as: UInt8.self, repeating: 0, count: layout.bytes)
        defer { scratch.deallocate() }
        // An omitted input points somewhere harmless: the scratch.
        let inputPointers: [UnsafeRawPointer] = inputs.map { UnsafeRawPointer($0?.constant?.pointer ?? scratch) }
        let outputPointers = outputs.map(\.pointer)
        inputPointers.withUnsafeBufferPointer { i in
            outputPointers.withUnsafeBufferPointer { o in
                kernel.run(i.baseAddress!, o.baseAddress!, StepMemory(own: scratch + ownOffset, shared: scratch + sharedOffset))
            }
        }
        withExtendedLifetime(outputs) {}
    }

    /// The nodes in an order where every value is written before it is read: the file's own order when
    /// it is one (ONNX requires sorted nodes, and exporters write them so), else Kahn's algorithm.
    static func topologicalOrder(_ graph: Graph) throws -> [Node] {
        var available = ValueSet(graph.initializers.map(\.value) + graph.inputs.map(\.value), capacity: graph.names.count)
        if isSorted(graph.nodes, after: available) { return graph.nodes }
        var producers = ValueMap<Int>(capacity: graph.names.count)
        for (index, node) in graph.nodes.enumerated() { for output in node.outputs where !output.isOmitted { producers[output] = index } }
        var waiting = [Int](repeating: 0, count: graph.nodes.count)
        var consumers = ValueMap<[Int]>(capacity: graph.names.count)
        for (index, node) in graph.nodes.enumerated() {
            for input in Set(node.inputs) where !input.isOmitted && !available.contains(input) {
                guard producers[input] != nil else {
                    throw ModelLoadError(path: graph.path, cause: .invalidGraph(
                        "node '\(node.label(in: graph.names))' reads undefined value '\(graph.names[input])'"))
                }
                waiting[index] += 1
                consumers[input, default: []].append(index)
            }
        }
        var ready = (0..<graph.nodes.count).filter { waiting[$0] == 0 }.reversed() as [Int]
        var order: [Node] = []
        order.reserveCapacity(graph.nodes.count)
        while let index = ready.popLast() {
            let node = graph.nodes[index]
            order.append(node)
            for output in node.outputs where !output.isOmitted && !available.contains(output) {
                available.insert(output)
                for consumer in consumers[output] ?? [] {
                    waiting[consumer] -= 1
                    if waiting[consumer] == 0 { ready.append(consumer) }
                }
            }
        }
        guard order.count == graph.nodes.count else {
            throw ModelLoadError(path: graph.path, cause: .invalidGraph("the graph has a cycle"))
        }
        return order
    }

    private static func isSorted(_ nodes: [Node], after available: ValueSet) -> Bool {
        var written = available
        for node in nodes {
            for input in node.inputs where !input.isOmitted && !written.contains(input) { return false }
            for output in node.outputs where !output.isOmitted { written.insert(output) }
        }
        return true
    }
}
