/// A graph after specialization: every value typed, constants folded, dead steps removed,
/// steps in a topological order.
struct SpecializedGraph {
    var values: [String: ValueInfo]
    var steps: [PlannedStep]
    var inputs: [String]
    var outputs: [String]
}
