/// Merges connected float elementwise steps (Swoosh activations, bias-norms, scaled adds) into one
/// `FusedElementwise` step each (`ElementwiseOperation`).
///
/// A group grows backwards from a step whose result leaves it (read by another kind of step, by
/// several steps, or a graph output): a producer joins when it is elementwise over the same number
/// of elements and everything that reads its result is already in the group. Operands from outside
/// must be full tensors of that size or single values. The fused step takes the place of the last
/// step of its group, so every outside operand is computed before it.
enum ElementwiseFusion {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        let uses = ValueUses(graph)
        let producer = uses.producer, consumers = uses.consumers
        let exposed = Set(graph.outputs)
        func count(_ value: ValueID) -> Int? { graph.values[value]?.type.count }

        /// The operation of an elementwise float step whose outside operands fit, else nil.
        func operation(_ index: Int, elements: Int) -> ElementwiseInstruction.Operation? {
            let step = graph.steps[index]
            guard step.outputs.count == 1, count(step.outputs[0]) == elements,
                  graph.values[step.outputs[0]]?.type.element == .float32,
                  let operation = Self.operation(of: step.kind) else { return nil }
            let operands = operation.isUnary ? Array(step.inputs.prefix(1)) : step.inputs
            guard operands.count == (operation.isUnary ? 1 : 2),
                  operands.allSatisfy({ count($0) == elements || count($0) == 1 }) else { return nil }
            return operation
        }

        var assigned = Set<Int>()
        var groups: [(sink: Int, members: [Int])] = []
        for sink in graph.steps.indices.reversed() where !assigned.contains(sink) {
            guard let elements = graph.steps[sink].outputs.first.flatMap(count), operation(sink, elements: elements) != nil
            else { continue }
            var members: Set<Int> = [sink]
            var grew = true
            while grew {
                grew = false
                for member in members {
                    for input in graph.steps[member].inputs where !input.isOmitted && !exposed.contains(input) {
                        guard let candidate = producer[input], !members.contains(candidate), !assigned.contains(candidate),
                              operation(candidate, elements: elements) != nil,
                              (consumers[input] ?? []).allSatisfy(members.contains) else { continue }
                        members.insert(candidate)
                        grew = true
                    }
                }
            }
            assigned.formUnion(members)
            if members.count > 1 { groups.append((sink, members.sorted())) }
        }

        var steps = graph.steps.map(Optional.some)
        for group in groups {
            guard let fused = fuse(group.members, graph: graph) else { continue }
            for member in group.members { steps[member] = nil }
            steps[group.sink] = fused
        }
        return graph.replacingSteps(with: steps.compactMap { $0 })
    }

    static func operation(of kind: PlannedStep.Kind) -> ElementwiseInstruction.Operation? {
        switch kind {
        case .fused(.replaceEqual(let replace)):
            return .replaceEqual(replace.value)
        case .node(.binary(let operation, element: .float32, _)):
            switch operation {
            case .add: return .add
            case .sub: return .sub
            case .mul: return .mul
            case .div: return .div
            case .max: return .max
            case .min: return .min
            case .square: return .square
            default: return nil
            }
        case .node(.unaryFloat(let function, _)):
            switch function {
            case .abs: return .abs
            case .neg: return .neg
            case .exp: return .exp
            case .log: return .log
            case .sigmoid: return .sigmoid
            case .tanh: return .tanh
            case .relu: return .relu
            case .sqrt: return .sqrt
            case .reciprocal: return .reciprocal
            case .clip(let low, let high): return .clip(low, high)
            case .erf: return nil
            }
        default:
            return nil
        }
    }

    /// The members (in schedule order) as one step computing the last member's output.
    private static func fuse(_ members: [Int], graph: SpecializedGraph) -> PlannedStep? {
        guard let last = members.last, let output = graph.steps[last].outputs.first,
              let elements = graph.values[output]?.type.count else { return nil }
        var inputs: [ValueID] = []
        var results: [ValueID: Int] = [:]
        var instructions: [ElementwiseInstruction] = []
        for member in members {
            let step = graph.steps[member]
            guard let operation = operation(of: step.kind) else { return nil }
            let operandValues = operation.isUnary ? Array(step.inputs.prefix(1)) : step.inputs
            var operands: [ElementwiseInstruction.Operand] = []
            for value in operandValues {
                if let result = results[value] {
                    operands.append(.result(result))
                    continue
                }
                let index: Int
                if let existing = inputs.firstIndex(of: value) {
                    index = existing
                } else {
                    index = inputs.count
                    inputs.append(value)
                }
                operands.append(graph.values[value]?.type.count == elements && elements != 1 ? .tensor(index) : .scalar(index))
            }
            results[step.outputs[0]] = instructions.count
            instructions.append(ElementwiseInstruction(operation: operation, first: operands[0], second: operands.count > 1 ? operands[1] : operands[0]))
        }
        let operation = ElementwiseOperation(count: elements, inputCount: inputs.count, instructions: instructions)
        return PlannedStep(kind: .fused(.elementwise(operation)), opType: "FusedElementwise", inputs: inputs, outputs: [output])
    }
}
