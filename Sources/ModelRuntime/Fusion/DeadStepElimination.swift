/// Drops steps whose outputs nothing reads any more (left behind by fusion).
enum DeadStepElimination {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        var needed = ValueSet(graph.outputs, capacity: graph.names.count)
        var kept: [PlannedStep] = []
        for step in graph.steps.reversed() where step.outputs.contains(where: needed.contains) {
            kept.append(step)
            for input in step.inputs where !input.isOmitted { needed.insert(input) }
        }
        return graph.replacingSteps(with: kept.reversed())
    }
}
