/// Where(condition, x, y) with broadcasting; moves elements by width, so any element type works.
final class WhereKernel: Kernel {
    let width: Int
    let layout: StridedLayout

    init(width: Int, layout: StridedLayout) {
        self.width = width
        self.layout = layout
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
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
        for o in 0..<layout.outerCount {
            let oc = layout.outerOffsets[1][o], ox = layout.outerOffsets[2][o], oy = layout.outerOffsets[3][o]
            let oo = layout.outerOffsets[0][o]
            for i in 0..<n {
                po[oo + i * so] = c[oc + i * sc] != 0 ? px[ox + i * sx] : py[oy + i * sy]
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
        return .compute(WhereKernel(width: x.element.byteSize, layout: layout), outputs: [TensorType(x.element, shape)])
    }
}
