/// Drops steps whose outputs nothing reads any more (left behind by fusion).
enum DeadStepElimination {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        var needed = Set(graph.outputs)
        var kept: [PlannedStep] = []
        for step in graph.steps.reversed() where step.outputs.contains(where: needed.contains) {
            kept.append(step)
            for input in step.inputs where !input.isEmpty { needed.insert(input) }
        }
        return SpecializedGraph(values: graph.values, steps: kept.reversed(), inputs: graph.inputs, outputs: graph.outputs)
    }
}
