/// Split along one axis: for each outer index, output i takes the next contiguous block of the input
/// (the inverse of `ConcatKernel`).
final class SplitKernel: Kernel {
    let outerCount: Int
    /// Bytes each output takes per outer index.
    let blockBytes: [Int]
    let inputRowBytes: Int

    init(outerCount: Int, blockBytes: [Int]) {
        self.outerCount = outerCount
        self.blockBytes = blockBytes
        inputRowBytes = blockBytes.reduce(0, +)
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let x = inputs[0]
        blockBytes.withUnsafeBufferPointer { blocks in
            for o in 0..<outerCount {
                var offset = o * inputRowBytes
                for (i, bytes) in blocks.enumerated() {
                    (outputs[i] + o * bytes).copyMemory(from: x + offset, byteCount: bytes)
                    offset += bytes
                }
            }
        }
    }

    /// Sizes come from input 1 (opset 13+), the `split` attribute (earlier opsets), or an equal split
    /// into as many parts as the node has outputs (the last part smaller when `num_outputs` does not divide).
    static func build(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let axis = try context.axis(context.node.int("axis", default: 0), rank: input.rank)
        let size = input.shape[axis]
        let parts = context.node.outputs.count
        var sizes: [Int]
        if context.has(1) {
            sizes = try context.constant(1).integers()
        } else if let given = context.node.ints("split") {
            sizes = given
        } else {
            guard parts > 0 else { throw context.failure("no outputs") }
            let each = (size + parts - 1) / parts
            sizes = (0..<parts).map { Swift.max(0, Swift.min(each, size - $0 * each)) }
        }
        guard sizes.count == parts, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == size else {
            throw context.failure("split sizes \(sizes) do not divide axis \(axis) of \(input.shape) into \(parts) outputs")
        }
        let outer = input.shape[..<axis].reduce(1, *)
        let inner = input.shape[(axis + 1)...].reduce(1, *) * input.element.byteSize
        let types = sizes.map { part -> TensorType in
            var shape = input.shape
            shape[axis] = part
            return TensorType(input.element, shape)
        }
        return .compute(.split(outerCount: outer, blockBytes: sizes.map { $0 * inner }), outputs: types)
    }
}
