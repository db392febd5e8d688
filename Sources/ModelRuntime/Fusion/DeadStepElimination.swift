/// Drops steps whose outputs nothing reads: after specialization (nodes no output needs) and after
/// fusion (steps whose results were merged into a fused step).
enum DeadStepElimination {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        graph.replacingSteps(with: liveSteps(graph.steps, outputs: graph.outputs, valueCount: graph.names.count))
    }

    /// The steps, in order, that some output depends on; `valueCount` bounds the graph's `ValueID`s.
    static func liveSteps(_ steps: [PlannedStep], outputs: [ValueID], valueCount: Int) -> [PlannedStep] {
        var needed = ValueSet(outputs, capacity: valueCount)
        var live = [Bool](repeating: false, count: steps.count)
        for index in steps.indices.reversed() where steps[index].outputs.contains(where: needed.contains) {
            live[index] = true
            for input in steps[index].inputs where !input.isOmitted { needed.insert(input) }
        }
        return steps.indices.filter { live[$0] }.map { steps[$0] }
    }
}
