/// Softmax over the last axis, rounded as onnxruntime's MLAS softmax on AVX2: exponentials of
/// x - max summed in eight lanes (the tail folded into the first lanes), the lanes reduced
/// pairwise, then every exponential multiplied by 1 / sum.
final class SoftmaxKernel: Kernel {
    let rows: Int, width: Int

    init(rows: Int, width: Int) {
        self.rows = rows
        self.width = width
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self), y = outputs[0].assumingMemoryBound(to: Float.self)
        for r in 0..<rows { Self.normalize(x + r * width, y + r * width, width: width) }
    }

    /// One row: `x` and `y` may be the same pointer (every value is read before it is written).
    @inline(__always)
    static func normalize(_ px: UnsafePointer<Float>, _ py: UnsafeMutablePointer<Float>, width: Int) {
        var maximum = -Float.greatestFiniteMagnitude
        for i in 0..<width { maximum = Swift.max(maximum, px[i]) }
        // Eight exponentials at a time (VectorMath.shiftedExp equals the scalar one lane by lane);
        // the tail's unused lanes add zeros.
        let shift = SIMD8<Float>(repeating: -maximum)
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= width {
            let e = VectorMath.shiftedExp(UnsafeRawPointer(px + i).loadUnaligned(as: SIMD8<Float>.self), negativeMaximum: shift)
            UnsafeMutableRawPointer(py + i).storeBytes(of: e, as: SIMD8<Float>.self)
            lanes += e
            i += 8
        }
        if i < width {
            var chunk = SIMD8<Float>()
            for lane in 0..<(width - i) {
                let e = ReferenceMath.shiftedExp(px[i + lane], negativeMaximum: -maximum)
                py[i + lane] = e
                chunk[lane] = e
            }
            lanes += chunk
        }
        let pairs = SIMD4<Float>(lanes[0] + lanes[1], lanes[2] + lanes[3], lanes[4] + lanes[5], lanes[6] + lanes[7])
        let sum = (pairs[0] + pairs[1]) + (pairs[2] + pairs[3])
        let scale = 1 / sum
        var j = 0
        while j + 8 <= width {
            let p = UnsafeMutableRawPointer(py + j)
            p.storeBytes(of: p.loadUnaligned(as: SIMD8<Float>.self) * scale, as: SIMD8<Float>.self)
            j += 8
        }
        while j < width { py[j] *= scale; j += 1 }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        _ = try context.requireElement(0, [.float32])
        let input = try context.input(0).type
        let axis = try context.axis(context.node.int("axis", default: context.opsetVersion >= 13 ? -1 : 1), rank: input.rank)
        // Before opset 13 Softmax flattens from `axis`; both agree when it is the last axis.
        guard axis == input.rank - 1 else { throw context.failure("only the last axis is supported") }
        let width = input.shape.last ?? 1
        return .compute(SoftmaxKernel(rows: width == 0 ? 0 : input.count / width, width: width), outputs: [input])
    }
}
