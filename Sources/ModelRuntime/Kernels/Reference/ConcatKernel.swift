/// Concatenation along one axis: for each outer index, each input contributes one contiguous block.
final class ConcatKernel: Kernel {
    let outerCount: Int
    /// Bytes each input contributes per outer index.
    let blockBytes: [Int]
    let outputRowBytes: Int

    init(outerCount: Int, blockBytes: [Int]) {
        self.outerCount = outerCount
        self.blockBytes = blockBytes
        outputRowBytes = blockBytes.reduce(0, +)
        inputCount = blockBytes.count
        blocks = .allocate(capacity: max(blockBytes.count, 1))
        blocks.initialize(from: blockBytes, count: blockBytes.count)
    }

    // `blockBytes` in plain memory, so the run loop does not touch the array.
    private let inputCount: Int
    private let blocks: UnsafeMutablePointer<Int>

    deinit { blocks.deallocate() }

    var ownedBytes: Int { max(inputCount, 1) * MemoryLayout<Int>.stride }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let y = outputs[0]
        for o in 0..<outerCount {
            var offset = o * outputRowBytes
            for i in 0..<inputCount {
                let bytes = blocks[i]
                (y + offset).copyMemory(from: inputs[i] + o * bytes, byteCount: bytes)
                offset += bytes
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let types = try context.inputs.indices.map { try context.input($0).type }
        guard let first = types.first else { throw context.failure("no inputs") }
        guard first.rank > 0 else { throw context.failure("cannot concatenate scalars") }
        let axis = try context.axis(context.node.int("axis", default: 0), rank: first.rank)
        var shape = first.shape
        shape[axis] = 0
        for type in types {
            guard type.element == first.element, type.rank == first.rank,
                  (0..<first.rank).allSatisfy({ $0 == axis || type.shape[$0] == first.shape[$0] }) else {
                throw context.failure("inputs \(types) do not concatenate on axis \(axis)")
            }
            shape[axis] += type.shape[axis]
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let blocks = types.map { $0.shape[axis...].reduce(1, *) * $0.element.byteSize }
        return .compute(.concat(outerCount: outer, blockBytes: blocks), outputs: [TensorType(first.element, shape)])
    }
}
