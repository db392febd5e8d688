/// DequantizeLinear with scalar scale and zero point: y = (x - zero) * scale.
final class DequantizeLinearKernel: Kernel {
    let count: Int, signed: Bool, hasZero: Bool

    init(count: Int, signed: Bool, hasZero: Bool) {
        self.count = count
        self.signed = signed
        self.hasZero = hasZero
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let scale = inputs[1].load(as: Float.self)
        let zero = hasZero ? Int32(MatMulIntegerKernel.load(inputs[2], 0, signed: signed)) : 0
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        for i in 0..<count {
            y[i] = Float(Int32(MatMulIntegerKernel.load(inputs[0], i, signed: signed)) - zero) * scale
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let element = try context.requireElement(0, [.uint8, .int8])
        let input = try context.input(0).type
        guard try context.input(1).type.count == 1 else { throw context.failure("only a scalar scale is supported") }
        let hasZero = context.has(2)
        return .compute(.dequantizeLinear(count: input.count, signed: element == .int8, hasZero: hasZero),
                        outputs: [TensorType(.float32, input.shape)])
    }
}
