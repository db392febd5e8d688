/// Finds onnxruntime's dynamic-quantization chain for a matrix product with constant weights,
///
///     DynamicQuantizeLinear(x) -> MatMulInteger(xq, W, xzp, wzp) -> Cast(float)
///         -> Mul(·, Mul(x_scale, w_scale)) [-> Add(bias)]
///
/// and replaces it with one int8 linear step (`Int8LinearOperation`, lowered to `FastInt8LinearKernel`)
/// that reads x as float and computes the same numbers (int8 weights with zero point 0). The weight scale is one value (per
/// tensor) or one per output column (per channel), with as many zero points.
enum QuantizedLinearFusion {
    static func apply(_ graph: SpecializedGraph, products: Int8Products) -> SpecializedGraph {
        let uses = ValueUses(graph)
        let producer = uses.producer, consumers = uses.consumers
        let exposed = Set(graph.outputs)
        func onlyConsumer(_ value: ValueID) -> Int? {
            guard !exposed.contains(value), let list = consumers[value], list.count == 1 else { return nil }
            return list[0]
        }
        func constant(_ value: ValueID) -> Tensor? { graph.values[value]?.constant }

        var steps = graph.steps.map(Optional.some)
        for (index, step) in graph.steps.enumerated() where step.opType == "MatMulInteger" && step.inputs.count == 4 {
            guard let weights = constant(step.inputs[1]), weights.type.rank == 2,
                  weights.type.element == .int8,
                  let weightZero = constant(step.inputs[3]), [1, weights.type.shape[1]].contains(weightZero.type.count),
                  weightZero.type.rank <= 1, weightZero.integers().allSatisfy({ $0 == 0 }),
                  let quantizer = producer[step.inputs[0]], graph.steps[quantizer].opType == "DynamicQuantizeLinear",
                  graph.steps[quantizer].outputs.count == 3, graph.steps[quantizer].outputs[2] == step.inputs[2],
                  let cast = onlyConsumer(step.outputs[0]), graph.steps[cast].opType == "Cast",
                  graph.values[graph.steps[cast].outputs[0]]?.type.element == .float32,
                  let rescale = onlyConsumer(graph.steps[cast].outputs[0]), graph.steps[rescale].opType == "Mul",
                  graph.steps[rescale].inputs.count == 2
            else { continue }
            let castOutput = graph.steps[cast].outputs[0]
            let scaleName = graph.steps[rescale].inputs[0] == castOutput ? graph.steps[rescale].inputs[1] : graph.steps[rescale].inputs[0]
            guard let scaleStep = producer[scaleName], graph.steps[scaleStep].opType == "Mul",
                  graph.steps[scaleStep].inputs.contains(graph.steps[quantizer].outputs[1]),
                  let weightScaleName = graph.steps[scaleStep].inputs.first(where: { $0 != graph.steps[quantizer].outputs[1] }),
                  let weightScale = constant(weightScaleName), weightScale.type.element == .float32, weightScale.type.rank <= 1,
                  [1, weights.type.shape[1]].contains(weightScale.type.count)
            else { continue }

            let k = weights.type.shape[0], n = weights.type.shape[1]
            let x = graph.steps[quantizer].inputs[0]
            guard let xType = graph.values[x]?.type, xType.element == .float32, xType.shape.last == k else { continue }
            var output = graph.steps[rescale].outputs[0]
            var last = rescale
            var bias: Tensor?
            if let add = onlyConsumer(output), graph.steps[add].opType == "Add", graph.steps[add].inputs.count == 2 {
                let other = graph.steps[add].inputs[0] == output ? graph.steps[add].inputs[1] : graph.steps[add].inputs[0]
                if let candidate = constant(other), candidate.type.element == .float32, candidate.type.count == n,
                   candidate.type.shape.last == n, graph.values[graph.steps[add].outputs[0]]?.type.shape == graph.values[output]?.type.shape {
                    bias = candidate
                    output = graph.steps[add].outputs[0]
                    last = add
                }
            }

            let scales = weightScale.floats()
            let linear = Int8LinearOperation(rows: xType.count / k, k: k, n: n, weights: weights,
                                             scales: scales.count == 1 ? .perTensor(scales[0]) : .perColumn(scales),
                                             bias: bias, products: products)
            for removed in [index, cast, rescale, last] { steps[removed] = nil }
            steps[last] = PlannedStep(kind: .fused(.int8Linear(linear)), opType: "FusedInt8Linear", inputs: [x], outputs: [output])
        }
        let fused = graph.replacingSteps(with: steps.compactMap { $0 })
        return DeadStepElimination.apply(fused)
    }
}
