/// Copies a strided view of the input into a contiguous output: Transpose, Slice and Expand.
final class CopyKernel: Kernel {
    let width: Int
    let baseOffset: Int
    let layout: StridedLayout
    /// The view as built, before coalescing: fusion passes read it to consume the input in place.
    let outputShape: [Int]
    let inputStrides: [Int]
    /// Set for Transpose: output axis i is input axis `permutation[i]`.
    let permutation: [Int]?

    /// `inputStrides` has one stride per output dimension (may be 0 or negative); `baseOffset` is in elements.
    init(width: Int, outputShape: [Int], inputStrides: [Int], baseOffset: Int, permutation: [Int]? = nil) {
        self.width = width
        self.baseOffset = baseOffset
        self.outputShape = outputShape
        self.inputStrides = inputStrides
        self.permutation = permutation
        layout = StridedLayout(shape: outputShape, strides: [contiguousStrides(outputShape), inputStrides])
        outerCount = layout.outerCount
        innerCount = layout.innerCount
        innerStride = layout.innerStrides[1]
        outputOffsets = .allocate(capacity: max(outerCount, 1))
        inputOffsets = .allocate(capacity: max(outerCount, 1))
        for o in 0..<outerCount {
            outputOffsets[o] = layout.outerOffsets[0][o]
            inputOffsets[o] = layout.outerOffsets[1][o]
        }
    }

    // The layout's offsets and counts copied out of its arrays, so the run loop reads plain memory.
    private let outerCount: Int, innerCount: Int, innerStride: Int
    private let outputOffsets: UnsafeMutablePointer<Int>
    private let inputOffsets: UnsafeMutablePointer<Int>

    deinit {
        outputOffsets.deallocate()
        inputOffsets.deallocate()
    }

    var ownedBytes: Int { max(outerCount, 1) * 2 * MemoryLayout<Int>.stride }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        switch width {
        case 1: copy(inputs[0], outputs[0], as: UInt8.self)
        case 4: copy(inputs[0], outputs[0], as: UInt32.self)
        default: copy(inputs[0], outputs[0], as: UInt64.self)
        }
    }

    private func copy<T>(_ input: UnsafeRawPointer, _ output: UnsafeMutableRawPointer, as: T.Type) {
        let x = input.assumingMemoryBound(to: T.self) + baseOffset
        let y = output.assumingMemoryBound(to: T.self)
        let n = innerCount, si = innerStride
        for o in 0..<outerCount {
            let px = x + inputOffsets[o], py = y + outputOffsets[o]
            if si == 1 {
                let bytes = n &* MemoryLayout<T>.stride
                if bytes <= 256 {
                    CopyKernel.copySmall(from: UnsafeRawPointer(px), to: UnsafeMutableRawPointer(py), bytes: bytes)
                } else {
                    py.update(from: px, count: n)
                }
            } else {
                for i in 0..<n { py[i] = px[i * si] }
            }
        }
    }
}

extension CopyKernel {
    /// Copies a short row inline: a `memmove` call per row costs more than the copy itself when a
    /// transpose moves thousands of rows of a few dozen bytes.
    @inline(__always)
    static func copySmall(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, bytes: Int) {
        var offset = 0
        while offset &+ 32 <= bytes {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: SIMD32<UInt8>.self),
                              toByteOffset: offset, as: SIMD32<UInt8>.self)
            offset &+= 32
        }
        if offset &+ 16 <= bytes {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self),
                              toByteOffset: offset, as: SIMD16<UInt8>.self)
            offset &+= 16
        }
        if offset &+ 8 <= bytes {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
        if offset &+ 4 <= bytes {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self), toByteOffset: offset, as: UInt32.self)
            offset &+= 4
        }
        while offset < bytes {
            target.storeBytes(of: source.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
            offset &+= 1
        }
    }
}

enum CopyBuilders {
    static func transpose(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let perm = context.node.ints("perm") ?? Array((0..<input.rank).reversed())
        guard perm.count == input.rank, Set(perm) == Set(0..<input.rank) else {
            throw context.failure("perm \(perm) does not match rank \(input.rank)")
        }
        let strides = contiguousStrides(input.shape)
        let shape = perm.map { input.shape[$0] }
        return .compute(.copy(CopyAttributes(width: input.element.byteSize, outputShape: shape,
                                             inputStrides: perm.map { strides[$0] }, baseOffset: 0, permutation: perm)),
                        outputs: [TensorType(input.element, shape)])
    }

    static func slice(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let starts = try context.constant(1).integers()
        let ends = try context.constant(2).integers()
        let axes = context.has(3) ? try context.constant(3).integers() : Array(0..<starts.count)
        let steps = context.has(4) ? try context.constant(4).integers() : [Int](repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw context.failure("starts, ends, axes and steps differ in length")
        }
        var shape = input.shape
        var begin = [Int](repeating: 0, count: input.rank)
        var step = [Int](repeating: 1, count: input.rank)
        for i in starts.indices {
            let axis = try context.axis(axes[i], rank: input.rank)
            let size = input.shape[axis]
            guard steps[i] != 0 else { throw context.failure("step 0") }
            // ONNX clamping rules: positive steps clamp to [0, size], negative to [-1, size-1].
            func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
                let v = value < 0 ? value + size : value
                return Swift.min(Swift.max(v, low), high)
            }
            let s: Int, e: Int
            if steps[i] > 0 {
                s = clamp(starts[i], 0, size); e = clamp(ends[i], 0, size)
                shape[axis] = Swift.max(0, (e - s + steps[i] - 1) / steps[i])
            } else {
                s = clamp(starts[i], -1, size - 1); e = clamp(ends[i], -1, size - 1)
                shape[axis] = Swift.max(0, (s - e + (-steps[i]) - 1) / (-steps[i]))
            }
            begin[axis] = s
            step[axis] = steps[i]
        }
        let strides = contiguousStrides(input.shape)
        var base = 0
        for axis in 0..<input.rank where shape[axis] > 0 { base += begin[axis] * strides[axis] }
        return .compute(.copy(CopyAttributes(width: input.element.byteSize, outputShape: shape,
                                             inputStrides: (0..<input.rank).map { strides[$0] * step[$0] }, baseOffset: base,
                                             permutation: nil)),
                        outputs: [TensorType(input.element, shape)])
    }

    /// Tile reads the input as the view [r0, d0, r1, d1, ...] with stride 0 on each repeat axis.
    static func tile(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let repeats = try context.constant(1).integers()
        guard repeats.count == input.rank, repeats.allSatisfy({ $0 >= 0 }) else {
            throw context.failure("repeats \(repeats) do not fit rank \(input.rank)")
        }
        let strides = contiguousStrides(input.shape)
        let view = input.shape.indices.flatMap { [repeats[$0], input.shape[$0]] }
        guard TensorType(input.element, view).isPlannable else { throw context.failure("repeats \(repeats) make too large a tensor") }
        let viewStrides = input.shape.indices.flatMap { [0, strides[$0]] }
        let shape = input.shape.indices.map { repeats[$0] * input.shape[$0] }
        return .compute(.copy(CopyAttributes(width: input.element.byteSize, outputShape: view, inputStrides: viewStrides,
                                             baseOffset: 0, permutation: nil)),
                        outputs: [TensorType(input.element, shape)])
    }

    static func expand(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let target = try context.constant(1).integers()
        guard let shape = broadcastShape([input.shape, target]), TensorType(input.element, shape).isPlannable else {
            throw context.failure("shape \(input.shape) does not expand to \(target)")
        }
        return .compute(.copy(CopyAttributes(width: input.element.byteSize, outputShape: shape,
                                             inputStrides: broadcastStrides(input.shape, to: shape), baseOffset: 0,
                                             permutation: nil)),
                        outputs: [TensorType(input.element, shape)])
    }
}
