/// CumSum: running sums along one axis, in index order (or reversed), inclusive or exclusive, as
/// onnxruntime adds them (one running total per line, in the element type).
final class CumSumKernel: Kernel {
    let element: ElementType
    let outerCount: Int
    let axisSize: Int
    let innerCount: Int
    let exclusive: Bool
    let reverse: Bool

    init(element: ElementType, outerCount: Int, axisSize: Int, innerCount: Int, exclusive: Bool, reverse: Bool) {
        self.element = element
        self.outerCount = outerCount
        self.axisSize = axisSize
        self.innerCount = innerCount
        self.exclusive = exclusive
        self.reverse = reverse
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        switch element {
        case .float32: accumulate(inputs[0], outputs[0], as: Float.self, adding: +)
        // Integers wrap, as onnxruntime's do: an overflowing model must not stop the process.
        case .int32: accumulate(inputs[0], outputs[0], as: Int32.self, adding: &+)
        default: accumulate(inputs[0], outputs[0], as: Int64.self, adding: &+)
        }
    }

    @inline(__always)
    private func accumulate<T: AdditiveArithmetic>(_ input: UnsafeRawPointer, _ output: UnsafeMutableRawPointer, as: T.Type,
                                                   adding add: (T, T) -> T) {
        let x = input.assumingMemoryBound(to: T.self), y = output.assumingMemoryBound(to: T.self)
        for o in 0..<outerCount {
            for i in 0..<innerCount {
                let base = o * axisSize * innerCount + i
                var total = T.zero
                for step in 0..<axisSize {
                    let k = reverse ? axisSize - 1 - step : step
                    let at = base + k * innerCount
                    if exclusive {
                        y[at] = total
                        total = add(total, x[at])
                    } else {
                        total = add(total, x[at])
                        y[at] = total
                    }
                }
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        _ = try context.requireElement(0, [.float32, .int32, .int64])
        let axes = try context.constant(1).integers()
        guard axes.count == 1 else { throw context.failure("axis must hold one value") }
        let axis = try context.axis(axes[0], rank: input.rank)
        let exclusive = context.node.int("exclusive", default: 0) != 0, reverse = context.node.int("reverse", default: 0) != 0
        return .compute(.cumSum(element: input.element, outerCount: input.shape[..<axis].reduce(1, *), axisSize: input.shape[axis],
                                innerCount: input.shape[(axis + 1)...].reduce(1, *), exclusive: exclusive, reverse: reverse),
                        outputs: [input])
    }
}
