/// Which step writes each value and which steps read it: what a fusion pass checks before it
/// merges steps (a value may vanish into a fused step only if nothing else reads it).
struct ValueUses {
    /// Step index by value name.
    let producer: [String: Int]
    /// Step indices reading each value, once per operand (a step reading a value twice appears twice).
    let consumers: [String: [Int]]

    init(_ graph: SpecializedGraph) {
        var producer: [String: Int] = [:]
        var consumers: [String: [Int]] = [:]
        // Every pass builds these for ten thousand values in a large model; growing them rehashes.
        let valueCount = graph.steps.reduce(0) { $0 + $1.outputs.count }
        producer.reserveCapacity(valueCount)
        consumers.reserveCapacity(valueCount + graph.inputs.count)
        for (index, step) in graph.steps.enumerated() {
            for output in step.outputs { producer[output] = index }
            for input in step.inputs where !input.isEmpty { consumers[input, default: []].append(index) }
        }
        self.producer = producer
        self.consumers = consumers
    }
}
