/// GatherElements: output[i...] = data[i... with index[i...] on the axis] (relative-position shifts).
final class GatherElementsKernel: Kernel {
    let width: Int
    /// Offset of each output element in `data` with the axis coordinate set to 0.
    let baseOffsets: [Int]
    let axisStride: Int, axisSize: Int, indexIs64: Bool

    init(width: Int, baseOffsets: [Int], axisStride: Int, axisSize: Int, indexIs64: Bool) {
        self.width = width
        self.baseOffsets = baseOffsets
        self.axisStride = axisStride
        self.axisSize = axisSize
        self.indexIs64 = indexIs64
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        switch width {
        case 1: gather(inputs, outputs[0], as: UInt8.self)
        case 4: gather(inputs, outputs[0], as: UInt32.self)
        default: gather(inputs, outputs[0], as: UInt64.self)
        }
    }

    private func gather<T>(_ inputs: UnsafePointer<UnsafeRawPointer>, _ out: UnsafeMutableRawPointer, as: T.Type) {
        let x = inputs[0].assumingMemoryBound(to: T.self), y = out.assumingMemoryBound(to: T.self)
        let index = inputs[1]
        baseOffsets.withUnsafeBufferPointer { bases in
            for e in 0..<bases.count {
                var i = indexIs64 ? Int(index.load(fromByteOffset: e * 8, as: Int64.self))
                    : Int(index.load(fromByteOffset: e * 4, as: Int32.self))
                if i < 0 { i += axisSize }
                i = Swift.min(Swift.max(i, 0), axisSize - 1)
                y[e] = x[bases[e] + i * axisStride]
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let data = try context.input(0).type
        let indices = try context.input(1).type
        let element = try context.requireElement(1, [.int64, .int32])
        guard data.rank == indices.rank else { throw context.failure("data and indices ranks differ") }
        let axis = try context.axis(context.node.int("axis", default: 0), rank: data.rank)
        let dataStrides = contiguousStrides(data.shape)
        var strides = dataStrides
        strides[axis] = 0
        let layout = StridedLayout(shape: indices.shape, strides: [strides])
        var bases: [Int] = []
        bases.reserveCapacity(indices.count)
        for outer in layout.outerOffsets[0] {
            for i in 0..<layout.innerCount { bases.append(outer + i * layout.innerStrides[0]) }
        }
        return .compute(.gatherElements(width: data.element.byteSize, baseOffsets: bases, axisStride: dataStrides[axis],
                                        axisSize: data.shape[axis], indexIs64: element == .int64),
                        outputs: [TensorType(data.element, indices.shape)])
    }
}
