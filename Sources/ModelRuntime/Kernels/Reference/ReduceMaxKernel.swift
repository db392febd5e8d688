/// ReduceMax of float32 or int64 tensors over a set of axes. The largest value does not depend on
/// the order of comparisons, except that a NaN wins, as in onnxruntime.
final class ReduceMaxKernel: Kernel {
    let element: ElementType
    /// Offset of each output element's first input element, and of each reduced element relative to it.
    let outputBases: [Int]
    let reducedOffsets: [Int]

    init(element: ElementType, outputBases: [Int], reducedOffsets: [Int]) {
        self.element = element
        self.outputBases = outputBases
        self.reducedOffsets = reducedOffsets
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        if element == .float32 {
            let x = inputs[0].assumingMemoryBound(to: Float.self), y = outputs[0].assumingMemoryBound(to: Float.self)
            for (o, base) in outputBases.enumerated() {
                var best = -Float.infinity
                for r in reducedOffsets {
                    let v = x[base + r]
                    if v.isNaN { best = v; break }
                    if v > best { best = v }
                }
                y[o] = best
            }
        } else {
            let x = inputs[0].assumingMemoryBound(to: Int64.self), y = outputs[0].assumingMemoryBound(to: Int64.self)
            for (o, base) in outputBases.enumerated() {
                var best = Int64.min
                for r in reducedOffsets { best = Swift.max(best, x[base + r]) }
                y[o] = best
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let element = try context.requireElement(0, [.float32, .int64])
        let input = try context.input(0).type
        guard input.count > 0 else { throw context.failure("reduces an empty tensor") }
        let reduction = try ReductionAxes(context, input: input)
        return .compute(.reduceMax(element: element, outputBases: reduction.outputBases, reducedOffsets: reduction.reducedOffsets),
                        outputs: [TensorType(element, reduction.outputShape)])
    }
}
