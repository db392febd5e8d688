/// Gather along an axis with int64/int32 indices (embedding lookup); indices out of range clamp.
final class GatherKernel: Kernel {
    let outer: Int, axisSize: Int, innerBytes: Int, indexCount: Int, indexIs64: Bool

    init(outer: Int, axisSize: Int, innerBytes: Int, indexCount: Int, indexIs64: Bool) {
        self.outer = outer
        self.axisSize = axisSize
        self.innerBytes = innerBytes
        self.indexCount = indexCount
        self.indexIs64 = indexIs64
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let data = inputs[0], y = outputs[0]
        for o in 0..<outer {
            for i in 0..<indexCount {
                var index = indexIs64 ? Int(inputs[1].load(fromByteOffset: i * 8, as: Int64.self))
                    : Int(inputs[1].load(fromByteOffset: i * 4, as: Int32.self))
                if index < 0 { index += axisSize }
                index = Swift.min(Swift.max(index, 0), axisSize - 1)
                (y + (o * indexCount + i) * innerBytes)
                    .copyMemory(from: data + (o * axisSize + index) * innerBytes, byteCount: innerBytes)
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let data = try context.input(0).type
        let indices = try context.input(1).type
        let element = try context.requireElement(1, [.int64, .int32])
        let axis = try context.axis(context.node.int("axis", default: 0), rank: data.rank)
        guard data.shape[axis] > 0 else { throw context.failure("empty gather axis") }
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        let inner = data.shape[(axis + 1)...].reduce(1, *) * data.element.byteSize
        return .compute(.gather(outer: data.shape[..<axis].reduce(1, *), axisSize: data.shape[axis], innerBytes: inner,
                                indexCount: indices.count, indexIs64: element == .int64),
                        outputs: [TensorType(data.element, shape)])
    }
}
