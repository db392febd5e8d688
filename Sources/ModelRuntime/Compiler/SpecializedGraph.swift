/// A graph after specialization: every value typed, constants folded, dead steps removed,
/// steps in a topological order.
struct SpecializedGraph {
    var names: ValueNames
    var values: ValueMap<ValueInfo>
    var steps: [PlannedStep]
    var inputs: [ValueID]
    var outputs: [ValueID]

    /// This graph with other steps over the same values (what a rewrite pass returns).
    func replacingSteps(with steps: [PlannedStep]) -> SpecializedGraph {
        var result = self
        result.steps = steps
        return result
    }
}
