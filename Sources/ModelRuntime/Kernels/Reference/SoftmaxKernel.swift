import CKernels

/// Softmax over the last axis, rounded as onnxruntime's MLAS softmax on AVX2: exponentials of
/// x - max summed in eight lanes (the tail folded into the first lanes), the lanes reduced
/// pairwise, then every exponential multiplied by 1 / sum.
///
/// Over another axis (opset 13), onnxruntime transposes that axis to the end and back; the same
/// row arithmetic runs here on each line gathered into a scratch row.
final class SoftmaxKernel: Kernel {
    let rows: Int, width: Int
    /// Lanes of the running sum of exponentials (see `normalize`).
    let lanes: Int
    /// Elements after the softmax axis: 1 for the last axis, else the stride between a line's values.
    let innerCount: Int

    init(rows: Int, width: Int, innerCount: Int = 1, lanes: Int) {
        self.rows = rows
        self.width = width
        self.lanes = lanes
        self.innerCount = innerCount
    }

    /// One line gathered from a non-last axis.
    var workspaceBytes: Int { innerCount > 1 ? width * 4 : 0 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Float.self), y = outputs[0].assumingMemoryBound(to: Float.self)
        guard innerCount > 1 else {
            for r in 0..<rows { Self.normalize(x + r * width, y + r * width, width: width, lanes: lanes) }
            return
        }
        let line = memory.shared.scratch(Float.self, at: 0)
        for outer in 0..<rows {
            for inner in 0..<innerCount {
                let base = outer * width * innerCount + inner
                for i in 0..<width { line[i] = x[base + i * innerCount] }
                Self.normalize(line, line, width: width, lanes: lanes)
                for i in 0..<width { y[base + i * innerCount] = line[i] }
            }
        }
    }

    /// One row: `x` and `y` may be the same pointer (every value is read before it is written).
    /// `lanes` is the width of MLAS's running sum: 8 (its AVX2 kernel: eight lanes, the tail folded
    /// into the first lanes) or 16 (its AVX512F kernel: sixteen lanes, then lane i + 8 added to lane
    /// i); the eight lanes are then reduced pairwise.
    @inline(__always)
    static func normalize(_ px: UnsafePointer<Float>, _ py: UnsafeMutablePointer<Float>, width: Int, lanes: Int) {
        var maximum = -Float.greatestFiniteMagnitude
        for i in 0..<width { maximum = Swift.max(maximum, px[i]) }
        // Eight exponentials at a time (VectorMath.shiftedExp equals the scalar one lane by lane);
        // the tail's unused lanes add zeros.
        let shift = SIMD8<Float>(repeating: -maximum)
        // The AVX2 kernel set writes every whole vector's exponentials first (the tail's values are
        // still read from px below: the whole vectors end before it).
        #if arch(x86_64)
        let precomputed = KernelSet.active == .avx2
        if precomputed { asr_avx2_shifted_exp(px, py, width / 8 * 8, -maximum) }
        #else
        let precomputed = false
        #endif
        @inline(__always) func exponentials(_ i: Int) -> SIMD8<Float> {
            if precomputed { return UnsafeRawPointer(py + i).loadUnaligned(as: SIMD8<Float>.self) }
            let e = VectorMath.shiftedExp(UnsafeRawPointer(px + i).loadUnaligned(as: SIMD8<Float>.self), negativeMaximum: shift)
            UnsafeMutableRawPointer(py + i).storeBytes(of: e, as: SIMD8<Float>.self)
            return e
        }
        @inline(__always) func tail(_ i: Int, _ end: Int) -> SIMD8<Float> {
            var chunk = SIMD8<Float>()
            for lane in 0..<Swift.max(0, Swift.min(8, end - i)) {
                let e = ReferenceMath.shiftedExp(px[i + lane], negativeMaximum: -maximum)
                py[i + lane] = e
                chunk[lane] = e
            }
            return chunk
        }
        var sums = SIMD8<Float>()
        var i = 0
        if lanes == 16 {
            var high = SIMD8<Float>()
            while i + 16 <= width {
                sums += exponentials(i)
                high += exponentials(i + 8)
                i += 16
            }
            if i < width {
                sums += i + 8 <= width ? exponentials(i) : tail(i, width)
                high += tail(i + 8, width)
            }
            sums = high + sums
        } else {
            while i + 8 <= width {
                sums += exponentials(i)
                i += 8
            }
            if i < width { sums += tail(i, width) }
        }
        let pairs = SIMD4<Float>(sums[0] + sums[1], sums[2] + sums[3], sums[4] + sums[5], sums[6] + sums[7])
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
        // Before opset 13 Softmax flattens from `axis`: one row of everything after it.
        let lanes = context.arithmetic.softmaxLanes
        let width = context.opsetVersion < 13 ? input.shape[axis...].reduce(1, *) : input.shape[axis]
        let inner = context.opsetVersion < 13 ? 1 : input.shape[(axis + 1)...].reduce(1, *)
        let rows = width * inner == 0 ? 0 : input.count / (width * inner)
        return .compute(.softmax(rows: rows, width: width, innerCount: inner, lanes: lanes), outputs: [input])
    }
}
