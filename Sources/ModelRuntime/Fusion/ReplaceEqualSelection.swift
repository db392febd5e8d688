/// Rewrites `Where(Equal(x, c), r, x)` with a constant scalar c, the Equal read by nothing else,
/// into one `ReplaceEqual` step on float x (elementwise, so `ElementwiseFusion` can take it
/// into the chain around it). Selecting between the same values gives the same bits.
enum ReplaceEqualSelection {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        let uses = ValueUses(graph)
        let exposed = Set(graph.outputs)
        var steps = graph.steps.map(Optional.some)
        for (index, step) in graph.steps.enumerated() {
            guard case .node(.select(width: 4, _)) = step.kind,
                  step.inputs.count == 3, step.outputs.count == 1,
                  let output = graph.values[step.outputs[0]]?.type, output.element == .float32 else { continue }
            let condition = step.inputs[0], replacement = step.inputs[1], kept = step.inputs[2]
            guard !exposed.contains(condition), uses.consumers[condition] == [index],
                  let equalIndex = uses.producer[condition], steps[equalIndex] != nil,
                  case .node(.binary(.equal, element: .float32, _)) = graph.steps[equalIndex].kind else { continue }
            let operands = graph.steps[equalIndex].inputs
            guard operands.count == 2 else { continue }
            // One operand is the kept value x, the other a constant single value.
            let constantName = operands[0] == kept ? operands[1] : operands[0]
            guard operands.contains(kept), constantName != kept,
                  let constant = graph.values[constantName]?.constant, constant.type.count == 1,
                  let value = constant.floats().first,
                  graph.values[kept]?.type.shape == output.shape,
                  let replacementCount = graph.values[replacement]?.type.count,
                  replacementCount == output.count || replacementCount == 1 else { continue }
            let fused = ReplaceEqualOperation(count: output.count, value: value,
                                              broadcastsReplacement: replacementCount == 1 && output.count != 1)
            steps[equalIndex] = nil
            steps[index] = PlannedStep(kind: .fused(.replaceEqual(fused)), opType: "ReplaceEqual", inputs: [kept, replacement],
                                       outputs: step.outputs)
        }
        return graph.replacingSteps(with: steps.compactMap { $0 })
    }
}
