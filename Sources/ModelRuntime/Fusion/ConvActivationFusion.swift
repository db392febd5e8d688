/// Gives a `Swoosh` step to the convolution that writes its only input, when the kernel lowering
/// picks for that convolution can apply it (`ConvolutionAlgorithm.appliesActivations`): the
/// convolution then applies the activation to each block of output planes as soon as the block is
/// complete, while it is still in cache, and the pre-activation tensor never needs arena bytes of
/// its own. The arithmetic per value is unchanged, so the bits are those of the two steps.
enum ConvActivationFusion {
    static func apply(_ graph: SpecializedGraph, options: CompileOptions) -> SpecializedGraph {
        let uses = ValueUses(graph)
        let exposed = Set(graph.outputs)
        var steps = graph.steps.map(Optional.some)
        for (index, step) in graph.steps.enumerated() {
            guard case .fused(.swoosh(let swoosh)) = step.kind, step.inputs.count == 1, step.outputs.count == 1 else { continue }
            let preactivation = step.inputs[0]
            guard !exposed.contains(preactivation), uses.consumers[preactivation] == [index],
                  let convIndex = uses.producer[preactivation], let conv = steps[convIndex], conv.opType == "Conv",
                  conv.outputs == [preactivation], graph.values[preactivation]?.type.count == swoosh.count,
                  case .node(.convolution(let geometry, let hasBias)) = conv.kind,
                  ConvolutionAlgorithm.choose(for: conv, geometry, in: graph, options: options).appliesActivations
            else { continue }
            steps[convIndex] = PlannedStep(kind: .fused(.convSwoosh(geometry, hasBias: hasBias, activation: swoosh)),
                                           opType: "ConvSwoosh", inputs: conv.inputs, outputs: step.outputs)
            steps[index] = nil
        }
        return graph.replacingSteps(with: steps.compactMap { $0 })
    }
}
