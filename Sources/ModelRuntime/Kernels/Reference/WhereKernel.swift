/// Where(condition, x, y) with broadcasting; moves elements by width, so any element type works.
final class WhereKernel: Kernel {
    let width: Int
    let layout: StridedLayout

    init(width: Int, layout: StridedLayout) {
        self.width = width
        self.layout = layout
        outerCount = layout.outerCount
        offsets = .allocate(capacity: max(outerCount, 1) * 4)
        for o in 0..<outerCount {
            for operand in 0..<4 { offsets[o * 4 + operand] = layout.outerOffsets[operand][o] }
        }
    }

    private let outerCount: Int
    /// The layout's outer offsets in plain memory, [position][output, condition, x, y], so the run
    /// loop does not index nested arrays.
    private let offsets: UnsafeMutablePointer<Int>

    deinit { offsets.deallocate() }

    var ownedBytes: Int { max(outerCount, 1) * 4 * MemoryLayout<Int>.stride }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let condition = inputs[0].assumingMemoryBound(to: UInt8.self)
        switch width {
        case 1: select(condition, inputs[1], inputs[2], outputs[0], as: UInt8.self)
        case 4: select(condition, inputs[1], inputs[2], outputs[0], as: UInt32.self)
        default: select(condition, inputs[1], inputs[2], outputs[0], as: UInt64.self)
        }
    }

    private func select<T>(_ c: UnsafePointer<UInt8>, _ x: UnsafeRawPointer, _ y: UnsafeRawPointer,
                           _ out: UnsafeMutableRawPointer, as: T.Type) {
        let px = x.assumingMemoryBound(to: T.self), py = y.assumingMemoryBound(to: T.self)
        let po = out.assumingMemoryBound(to: T.self)
        let n = layout.innerCount
        let so = layout.innerStrides[0], sc = layout.innerStrides[1], sx = layout.innerStrides[2], sy = layout.innerStrides[3]
        let contiguous = so == 1 && sx == 1 && sy == 1
        for o in 0..<outerCount {
            let table = offsets + o * 4
            let to = po + table[0], tc = c + table[1], tx = px + table[2], ty = py + table[3]
            if contiguous && sc == 1 {
                for i in 0..<n { to[i] = tc[i] != 0 ? tx[i] : ty[i] }
            } else {
                for i in 0..<n { to[i * so] = tc[i * sc] != 0 ? tx[i * sx] : ty[i * sy] }
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let c = try context.input(0).type, x = try context.input(1).type, y = try context.input(2).type
        guard c.element == .bool, x.element == y.element else { throw context.failure("needs bool condition and equal value types") }
        guard let shape = broadcastShape([c.shape, x.shape, y.shape]) else {
            throw context.failure("shapes \(c.shape), \(x.shape), \(y.shape) do not broadcast")
        }
        let layout = StridedLayout(shape: shape, strides: [
            contiguousStrides(shape), broadcastStrides(c.shape, to: shape),
            broadcastStrides(x.shape, to: shape), broadcastStrides(y.shape, to: shape),
        ])
        return .compute(.select(width: x.element.byteSize, layout: layout), outputs: [TensorType(x.element, shape)])
    }
}
