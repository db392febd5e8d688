/// fp32 MatMul with numpy batch broadcasting: [..., M, K] x [..., K, N].
final class MatMulKernel: Kernel {
    let m: Int, k: Int, n: Int
    /// Per batch: element offsets of A, B and the output.
    let layout: StridedLayout
    /// The K slice of MLAS's SGEMM for this B (see `sliceLength`).
    let sliceK: Int
    /// onnxruntime packs B at load (see `MatMulAttributes.packedB`).
    let packedB: Bool

    /// Batches that share one B and lie back to back in A and the output run as one product of
    /// all their rows (as onnxruntime flattens A for a 2-D B): B is read once, not once per batch.
    let sharesB: Bool

    init(_ attributes: MatMulAttributes, layout: StridedLayout) {
        m = attributes.m
        k = attributes.k
        n = attributes.n
        self.layout = layout
        sliceK = attributes.sliceK
        packedB = attributes.packedB
        sharesB = attributes.sharesB
    }

    /// Whether every batch reads the same B, and A's and the output's batches lie back to back.
    static func sharesB(_ layout: StridedLayout, m: Int, k: Int, n: Int) -> Bool {
        var batch = 0, shares = true
        for o in 0..<layout.outerCount {
            for i in 0..<layout.innerCount {
                shares = shares && layout.outerOffsets[2][o] + i * layout.innerStrides[2] == 0
                    && layout.outerOffsets[1][o] + i * layout.innerStrides[1] == batch * m * k
                    && layout.outerOffsets[0][o] + i * layout.innerStrides[0] == batch * m * n
                batch += 1
            }
        }
        return shares
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let a = inputs[0].assumingMemoryBound(to: Float.self), b = inputs[1].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        if sharesB {
            return product(a, b, y, rows: m * layout.outerCount * layout.innerCount)
        }
        for o in 0..<layout.outerCount {
            for i in 0..<layout.innerCount {
                let pa = a + layout.outerOffsets[1][o] + i * layout.innerStrides[1]
                let pb = b + layout.outerOffsets[2][o] + i * layout.innerStrides[2]
                let py = y + layout.outerOffsets[0][o] + i * layout.innerStrides[0]
                product(pa, pb, py, rows: m)
            }
        }
    }

    private func product(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int) {
        if packedB {
            BlockedMatrixProduct.multiply(a, b, y, m: rows, k: k, n: n, sliceK: sliceK)
        } else {
            UnpackedMatrixProduct.multiply(a, b, y, m: rows, k: k, n: n, sliceK: sliceK)
        }
    }

    /// y[m, n] = sum_k a[m, k] * b[k, n], all row-major and contiguous.
    ///
    /// Rounds as the MLAS SGEMM kernels do: each output accumulates with fused multiply-adds in K
    /// order within a K slice (slice length from MLAS's stride rule), and each slice's sum is added
    /// to the output with one rounding. `scratch` holds `n` floats.
    static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                         m: Int, k: Int, n: Int, scratch: UnsafeMutablePointer<Float>) {
        BlockedMatrixProduct.multiply(a, b, y, m: m, k: k, n: n, sliceK: sliceLength(k: k, n: n))
    }

    /// MLAS's K slice: 128, traded against the N stride when one dimension is small (for a narrow B
    /// only when A is not transposed, as a Gemm may have it); 256 for a B that onnxruntime prepacked
    /// at load (an initializer), whose packed strides are fixed.
    static func sliceLength(k: Int, n: Int, prepackedB: Bool = false, transposesA: Bool = false) -> Int {
        if prepackedB { return 256 }
        var strideN = 128, strideK = 128
        if n >= k {
            while strideK / 2 >= k { strideN *= 2; strideK /= 2 }
        } else if !transposesA {
            while strideN > 16 && strideN / 2 >= n { strideK *= 2; strideN /= 2 }
        }
        return Swift.max(strideK, 1)
    }

    /// The batch shape A's and B's leading dimensions broadcast to, and per batch the element offsets
    /// of the output's [M, N], A's [M, K] and B's [K, N] blocks (MatMul and MatMulInteger alike).
    static func batchLayout(_ a: [Int], _ b: [Int], m: Int, k: Int, n: Int,
                            _ context: NodeContext) throws -> (batch: [Int], layout: StridedLayout) {
        let aBatch = Array(a.dropLast(2)), bBatch = Array(b.dropLast(2))
        guard let batch = broadcastShape([aBatch, bBatch]) else { throw context.failure("batch dims do not broadcast") }
        let layout = StridedLayout(shape: batch, strides: [
            contiguousStrides(batch).map { $0 * m * n },
            broadcastStrides(aBatch, to: batch).map { $0 * m * k },
            broadcastStrides(bBatch, to: batch).map { $0 * k * n },
        ])
        return (batch, layout)
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        _ = try context.requireElement(0, [.float32])
        _ = try context.requireElement(1, [.float32])
        let a = try context.input(0).type, b = try context.input(1).type
        guard a.rank >= 2, b.rank >= 2 else { throw context.failure("1-D operands are not supported") }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        guard b.shape[b.rank - 2] == k else { throw context.failure("inner dimensions differ: \(a.shape) x \(b.shape)") }
        let (batch, layout) = try batchLayout(a.shape, b.shape, m: m, k: k, n: n, context)
        // onnxruntime prepacks a 2-D initializer B only.
        let packedB = b.rank == 2 && context.isInitializer[1]
        let sliceK = sliceLength(k: k, n: n, prepackedB: packedB)
        let batches = layout.outerCount * layout.innerCount
        let attributes = MatMulAttributes(m: m, k: k, n: n, sliceK: sliceK, packedB: packedB, flattensA: b.rank == 2 && batches > 1,
                                          batches: batches,
                                          sharesB: sharesB(layout, m: m, k: k, n: n))
        return .compute(.matMul(attributes, layout: layout), outputs: [TensorType(.float32, batch + [m, n])])
    }
}
