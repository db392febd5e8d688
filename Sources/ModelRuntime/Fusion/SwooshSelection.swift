/// Replaces fused elementwise chains that are exactly one of zipformer's two exported Swoosh
/// spellings, with every scalar a constant known at load, by a `Swoosh` step reading only x
/// (`SwooshOperation`), whose kernel keeps all intermediates in registers instead of a tile buffer
/// per operator.
enum SwooshSelection {
    /// A chain operand: the one full tensor x, a named constant scalar, or an earlier result.
    private enum Slot {
        case x
        case constant(Name)
        case result(Int)
    }

    private enum Name: Hashable { case offset, one, floor, slope, shift }

    private struct Pattern {
        var operation: ElementwiseInstruction.Operation
        var first: Slot
        var second: Slot

        init(_ operation: ElementwiseInstruction.Operation, _ first: Slot, _ second: Slot? = nil) {
            self.operation = operation
            self.first = first
            self.second = second ?? first
        }
    }

    /// ((max(floor, s) + log(one + exp(-|floor - s|))) - x·slope) - shift with s = x - offset.
    private static let stable: [Pattern] = [
        Pattern(.sub, .x, .constant(.offset)),
        Pattern(.max, .constant(.floor), .result(0)),
        Pattern(.sub, .constant(.floor), .result(0)),
        Pattern(.abs, .result(2)),
        Pattern(.neg, .result(3)),
        Pattern(.exp, .result(4)),
        Pattern(.add, .constant(.one), .result(5)),
        Pattern(.log, .result(6)),
        Pattern(.add, .result(1), .result(7)),
        Pattern(.mul, .x, .constant(.slope)),
        Pattern(.sub, .result(8), .result(9)),
        Pattern(.sub, .result(10), .constant(.shift)),
    ]

    /// ((log(exp(s) + one), s where that is infinite) - x·slope) - shift with s = x - offset.
    private static let clamped: [Pattern] = [
        Pattern(.sub, .x, .constant(.offset)),
        Pattern(.exp, .result(0)),
        Pattern(.add, .result(1), .constant(.one)),
        Pattern(.log, .result(2)),
        Pattern(.replaceEqual(.infinity), .result(3), .result(0)),
        Pattern(.mul, .x, .constant(.slope)),
        Pattern(.sub, .result(4), .result(5)),
        Pattern(.sub, .result(6), .constant(.shift)),
    ]

    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        var steps = graph.steps
        for (index, step) in steps.enumerated() {
            guard case .fused(.elementwise(let chain)) = step.kind,
                  let swoosh = swoosh(chain, inputs: step.inputs, graph: graph) else { continue }
            steps[index] = PlannedStep(kind: .fused(.swoosh(swoosh.operation)), opType: "Swoosh", inputs: [swoosh.x],
                                       outputs: step.outputs)
        }
        return graph.replacingSteps(with: steps)
    }

    private static func swoosh(_ chain: ElementwiseOperation, inputs: [ValueID],
                               graph: SpecializedGraph) -> (operation: SwooshOperation, x: ValueID)? {
        let program = chain.instructions
        for (pattern, isStable) in [(stable, true), (clamped, false)] {
            guard let bound = bind(program, to: pattern) else { continue }
            var constants: [Name: Float] = [:]
            for (name, input) in bound.constants {
                guard input < inputs.count, let tensor = graph.values[inputs[input]]?.constant, tensor.type.count == 1,
                      tensor.type.element == .float32, let value = tensor.floats().first else { return nil }
                constants[name] = value
            }
            guard bound.x < inputs.count, constants[.one] == 1, let offset = constants[.offset],
                  let slope = constants[.slope], let shift = constants[.shift] else { return nil }
            let form: SwooshForm
            if isStable {
                guard let floor = constants[.floor] else { return nil }
                form = .stable(floor: floor)
            } else {
                form = .clamped
            }
            return (SwooshOperation(count: chain.count, form: form, offset: offset, slope: slope, shift: shift), inputs[bound.x])
        }
        return nil
    }

    /// The kernel input of x and of each named constant if the program computes the pattern's
    /// expression, else nil. Matched as a tree from the last instruction, so any schedule order of
    /// the same operations matches; each pattern entry must be a different instruction.
    private static func bind(_ program: [ElementwiseInstruction],
                             to pattern: [Pattern]) -> (x: Int, constants: [Name: Int])? {
        guard program.count == pattern.count else { return nil }
        var x: Int?
        var constants: [Name: Int] = [:]
        var instructionOf: [Int: Int] = [:]
        func matches(_ operand: ElementwiseInstruction.Operand, _ slot: Slot) -> Bool {
            switch (operand, slot) {
            case (.tensor(let index), .x):
                if let bound = x { return bound == index }
                x = index
                return true
            case (.scalar(let index), .constant(let name)):
                if let bound = constants[name] { return bound == index }
                constants[name] = index
                return true
            case (.result(let index), .result(let entry)):
                return matches(instruction: index, entry: entry)
            default:
                return false
            }
        }
        func matches(instruction index: Int, entry: Int) -> Bool {
            if let bound = instructionOf[entry] { return bound == index }
            guard !instructionOf.values.contains(index) else { return false }
            instructionOf[entry] = index
            let instruction = program[index], expected = pattern[entry]
            return instruction.operation == expected.operation && matches(instruction.first, expected.first)
                && (instruction.operation.isUnary || matches(instruction.second, expected.second))
        }
        guard matches(instruction: program.count - 1, entry: pattern.count - 1), instructionOf.count == pattern.count,
              let x else { return nil }
        return (x, constants)
    }
}
