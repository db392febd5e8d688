/// Which step writes each value and which steps read it: what a fusion pass checks before it
/// merges steps (a value may vanish into a fused step only if nothing else reads it).
struct ValueUses {
    /// Step index by value.
    let producer: ValueMap<Int>
    /// Step indices reading each value, once per operand (a step reading a value twice appears twice).
    let consumers: ValueMap<[Int]>

    init(_ graph: SpecializedGraph) {
        var producer = ValueMap<Int>(capacity: graph.names.count)
        var consumers = ValueMap<[Int]>(capacity: graph.names.count)
        for (index, step) in graph.steps.enumerated() {
            for output in step.outputs { producer[output] = index }
            for input in step.inputs where !input.isOmitted { consumers[input, default: []].append(index) }
        }
        self.producer = producer
        self.consumers = consumers
    }
}
