/// ScatterND without reduction: the output is the data with the slices that `indices` address
/// replaced by `updates`. Indices are read at run time; one outside the data is skipped (onnxruntime
/// rejects it; a kernel cannot fail mid-graph, and skipping keeps the write inside the output).
final class ScatterNDKernel: Kernel {
    let dataBytes: Int
    /// Elements of the data each index tuple addresses (the trailing axes past the tuple).
    let sliceBytes: Int
    let tupleCount: Int
    let tupleLength: Int
    /// Sizes and element strides of the addressed leading axes.
    let axisSizes: [Int]
    let axisStrides: [Int]
    let width: Int

    init(dataBytes: Int, sliceBytes: Int, tupleCount: Int, tupleLength: Int, axisSizes: [Int], axisStrides: [Int], width: Int) {
        self.dataBytes = dataBytes
        self.sliceBytes = sliceBytes
        self.tupleCount = tupleCount
        self.tupleLength = tupleLength
        self.axisSizes = axisSizes
        self.axisStrides = axisStrides
        self.width = width
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let y = outputs[0]
        if UnsafeRawPointer(y) != inputs[0] { y.copyMemory(from: inputs[0], byteCount: dataBytes) }
        let indices = inputs[1].assumingMemoryBound(to: Int64.self)
        let updates = inputs[2]
        tuples: for t in 0..<tupleCount {
            var offset = 0
            for k in 0..<tupleLength {
                var index = Int(indices[t * tupleLength + k])
                if index < 0 { index += axisSizes[k] }
                guard index >= 0, index < axisSizes[k] else { continue tuples }
                offset += index * axisStrides[k]
            }
            (y + offset * width).copyMemory(from: updates + t * sliceBytes, byteCount: sliceBytes)
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let data = try context.input(0).type
        _ = try context.requireElement(1, [.int64])
        let indices = try context.input(1).type
        let updates = try context.input(2).type
        let reduction = context.node.string("reduction", default: "none")
        guard reduction == "none" else { throw context.failure("reduction '\(reduction)' is not supported") }
        guard let tupleLength = indices.shape.last, tupleLength >= 1, tupleLength <= data.rank else {
            throw context.failure("indices \(indices.shape) do not address data \(data.shape)")
        }
        let expected = Array(indices.shape.dropLast()) + Array(data.shape[tupleLength...])
        guard updates.element == data.element, updates.shape == expected else {
            throw context.failure("updates \(updates) do not match \(expected) for data \(data.shape) and indices \(indices.shape)")
        }
        let strides = contiguousStrides(data.shape)
        let width = data.element.byteSize
        return .compute(.scatter(dataBytes: data.byteCount, sliceBytes: data.shape[tupleLength...].reduce(1, *) * width,
                                 tupleCount: indices.shape.dropLast().reduce(1, *), tupleLength: tupleLength,
                                 axisSizes: Array(data.shape[..<tupleLength]), axisStrides: Array(strides[..<tupleLength]),
                                 width: width),
                        outputs: [data])
    }
}
