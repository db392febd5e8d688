import Dispatch

/// Picks and makes the kernel of every step of a rewritten graph: the one place where kernels are
/// chosen from `CompileOptions`, and (with folding) the only place where kernels are made, so no
/// kernel exists that does not run.
enum Lowering {
    /// One kernel per step, nil for an alias, made on every core: packing weights is most of a large
    /// model's load (the steps are independent, and `WeightMemory` serves threads). `alongside` runs
    /// as one more piece of that work, on whichever thread is free first. int8 linears take their
    /// packed weights from `prepacked` where it has them.
    static func kernels(for graph: SpecializedGraph, options: CompileOptions, prepacked: Int8WeightPrepacking?,
                        alongside: () -> Void) -> [Kernel?] {
        let steps = graph.steps
        // Interleaved stripes, so that each gets its share of the large linears spread through the graph.
        let stripes = 8
        var kernels = [Kernel?](repeating: nil, count: steps.count)
        kernels.withUnsafeMutableBufferPointer { kernels in
            DispatchQueue.concurrentPerform(iterations: stripes + 1) { piece in
                guard piece > 0 else { return alongside() }
                for index in stride(from: piece - 1, to: steps.count, by: stripes) {
                    kernels[index] = kernel(for: steps[index], graph: graph, options: options, prepacked: prepacked)
                }
            }
        }
        WeightMemory.adviseHugePages()
        return kernels
    }

    private static func kernel(for step: PlannedStep, graph: SpecializedGraph, options: CompileOptions,
                               prepacked: Int8WeightPrepacking?) -> Kernel? {
        switch step.kind {
        case .alias:
            return nil
        case .node(let node):
            switch node {
            case .convolution(let geometry, let hasBias):
                return convolution(step, geometry, hasBias: hasBias, activation: nil, graph: graph, options: options)
            case .copy(let copy) where options.kernels != .reference:
                return BlockTransposeKernel(copy, kernelSet: options.kernelSet) ?? referenceKernel(node)
            default:
                return referenceKernel(node)
            }
        case .fused(let operation):
            return fused(operation, step: step, graph: graph, options: options, prepacked: prepacked)
        }
    }

    private static func fused(_ operation: FusedOperation, step: PlannedStep, graph: SpecializedGraph,
                              options: CompileOptions, prepacked: Int8WeightPrepacking?) -> Kernel {
        switch operation {
        case .int8Linear(let linear):
            return int8Linear(linear, prepacked: prepacked)
        case .attention(let a):
            return AttentionKernel(rows: a.rows, depth: a.depth, keys: a.keys, query: a.query, key: a.key, bias: a.bias,
                                   mask: a.mask, values: a.values, softmaxLanes: a.softmaxLanes)
        case .stridedMatMul(let p):
            return StridedMatMulKernel(m: p.m, k: p.k, n: p.n, a: p.a, b: p.b, y: p.y, sliceK: p.sliceK, packedB: p.packedB,
                                       flattensA: p.flattensA, constantB: p.constantB,
                                       kernelSet: options.kernelSet)
        case .packedMatMul(let p):
            let kernel = withExtendedLifetime(p.b) {
                PackedMatMulKernel(rows: p.rows, k: p.k, n: p.n, b: p.b.pointer.assumingMemoryBound(to: Float.self), sliceK: p.sliceK,
                                   reusesRows: p.reusesRows, kernelSet: options.kernelSet)
            }
            guard let kernel else { preconditionFailure("PackedMatMulSelection checks PackedMatMulKernel.isAvailable(in:)") }
            return kernel
        case .elementwise(let e):
            return FusedElementwiseKernel(count: e.count, inputCount: e.inputCount, instructions: e.instructions)
        case .swoosh(let s):
            return swoosh(s)
        case .replaceEqual(let r):
            return ReplaceEqualKernel(count: r.count, value: r.value, broadcastsReplacement: r.broadcastsReplacement)
        case .pointwiseConv(let p):
            let kernel = withExtendedLifetime(p.weights) {
                PointwiseConvKernel(geometry: p.geometry, weights: p.weights.pointer.assumingMemoryBound(to: Float.self),
                                    hasBias: p.hasBias, kernelSet: options.kernelSet)
            }
            guard let kernel else { preconditionFailure("PointwiseConvSelection checks PointwiseConvKernel.supports") }
            return kernel
        case .convSwoosh(let geometry, let hasBias, let activation):
            return convolution(step, geometry, hasBias: hasBias, activation: swoosh(activation), graph: graph, options: options)
        }
    }

    private static func swoosh(_ s: SwooshOperation) -> SwooshKernel {
        SwooshKernel(count: s.count, form: s.form, offset: s.offset, slope: s.slope, shift: s.shift)
    }

    private static func int8Linear(_ linear: Int8LinearOperation, prepacked: Int8WeightPrepacking?) -> Kernel {
        let weights = UnsafePointer(linear.weights.pointer.assumingMemoryBound(to: Int8.self))
        let packed = prepacked?.packed(weights, k: linear.k, n: linear.n)
        let bias = linear.bias.map { UnsafePointer($0.pointer.assumingMemoryBound(to: Float.self)) }
        func make(_ quantization: FastInt8LinearKernel.Quantization) -> Kernel {
            FastInt8LinearKernel(rows: linear.rows, k: linear.k, n: linear.n, weights: weights, packed: packed,
                                 quantization: quantization, bias: bias, products: linear.products)
        }
        // The kernel copies what it keeps; the tensors outlive the call.
        return withExtendedLifetime((linear.weights, linear.bias)) {
            switch linear.scales {
            case .perTensor(let scale): return make(.perTensor(weightScale: scale))
            case .perColumn(let scales): return scales.withUnsafeBufferPointer { make(.perColumn(weightScales: $0.baseAddress!)) }
            case .perRow(let scales): return scales.withUnsafeBufferPointer { make(.perRow(columnScales: $0.baseAddress!)) }
            }
        }
    }

    /// The kernel `ConvolutionAlgorithm` chooses, applying `activation` when given (only where the
    /// algorithm applies activations: `ConvActivationFusion` checks).
    private static func convolution(_ step: PlannedStep, _ geometry: ConvGeometry, hasBias: Bool, activation: SwooshKernel?,
                                    graph: SpecializedGraph, options: CompileOptions) -> Kernel {
        switch ConvolutionAlgorithm.choose(for: step, geometry, in: graph, options: options) {
        case .depthwise(let chainsTaps):
            if let kernel = FastDepthwiseConvKernel(geometry: geometry, hasBias: hasBias, chainsTaps: chainsTaps,
                                                    activation: activation) {
                return kernel
            }
        case .channelBlocked(let block):
            if let weights = graph.values[step.inputs[1]]?.constant {
                let bias = hasBias ? graph.values[step.inputs[2]]?.constant : nil
                let kernel = withExtendedLifetime((weights, bias)) {
                    ChannelBlockedConvKernel(geometry: geometry, weights: weights.pointer.assumingMemoryBound(to: Float.self),
                                             bias: bias.map { UnsafePointer($0.pointer.assumingMemoryBound(to: Float.self)) },
                                             block: block, activation: activation)
                }
                if let kernel { return kernel }
            }
        case .reference:
            break
        }
        precondition(activation == nil, "ConvActivationFusion joined a Swoosh to a convolution that cannot apply it")
        return ConvKernel(geometry: geometry, hasBias: hasBias)
    }
}
