/// fp32 MatMul with numpy batch broadcasting: [..., M, K] x [..., K, N].
final class MatMulKernel: Kernel {
    let m: Int, k: Int, n: Int
    /// Per batch: element offsets of A, B and the output.
    let layout: StridedLayout

    let scratch: UnsafeMutablePointer<Float>

    init(m: Int, k: Int, n: Int, layout: StridedLayout) {
        self.m = m
        self.k = k
        self.n = n
        self.layout = layout
        scratch = .allocate(capacity: Swift.max(n, 1))
    }

    deinit { scratch.deallocate() }

    var ownedBytes: Int { Swift.max(n, 1) * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let a = inputs[0].assumingMemoryBound(to: Float.self), b = inputs[1].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        for o in 0..<layout.outerCount {
            for i in 0..<layout.innerCount {
                let pa = a + layout.outerOffsets[1][o] + i * layout.innerStrides[1]
                let pb = b + layout.outerOffsets[2][o] + i * layout.innerStrides[2]
                let py = y + layout.outerOffsets[0][o] + i * layout.innerStrides[0]
                MatMulKernel.multiply(pa, pb, py, m: m, k: k, n: n, scratch: scratch)
            }
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

    /// MLAS's K slice: 128, traded against the N stride when one dimension is small.
    static func sliceLength(k: Int, n: Int) -> Int {
        var strideN = 128, strideK = 128
        if n >= k {
            while strideK / 2 >= k { strideN *= 2; strideK /= 2 }
        } else {
            while strideN > 16 && strideN / 2 >= n { strideK *= 2; strideN /= 2 }
        }
        return Swift.max(strideK, 1)
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        _ = try context.requireElement(0, [.float32])
        _ = try context.requireElement(1, [.float32])
        let a = try context.input(0).type, b = try context.input(1).type
        guard a.rank >= 2, b.rank >= 2 else { throw context.failure("1-D operands are not supported") }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        guard b.shape[b.rank - 2] == k else { throw context.failure("inner dimensions differ: \(a.shape) x \(b.shape)") }
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
        guard let batch = broadcastShape([aBatch, bBatch]) else { throw context.failure("batch dims do not broadcast") }
        let layout = StridedLayout(shape: batch, strides: [
            contiguousStrides(batch).map { $0 * m * n },
            broadcastStrides(aBatch, to: batch).map { $0 * m * k },
            broadcastStrides(bBatch, to: batch).map { $0 * k * n },
        ])
        return .compute(MatMulKernel(m: m, k: k, n: n, layout: layout), outputs: [TensorType(.float32, batch + [m, n])])
    }
}

/// Gemm: alpha * op(A) * op(B) + beta * C, 2-D. A transposed B is repacked at load when constant.
final class GemmKernel: Kernel {
    let m: Int, k: Int, n: Int
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float
    let cStrides: (row: Int, column: Int)?
    /// B as [K, N] when it was a transposed constant.
    let packedB: Tensor?
    var ownedBytes: Int { packedB?.type.byteCount ?? 0 }

    init(m: Int, k: Int, n: Int, transA: Bool, transB: Bool, alpha: Float, beta: Float,
         cStrides: (row: Int, column: Int)?, packedB: Tensor?) {
        self.m = m; self.k = k; self.n = n
        self.transA = transA; self.transB = transB
        self.alpha = alpha; self.beta = beta
        self.cStrides = cStrides
        self.packedB = packedB
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let a = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let bKN = packedB.map { UnsafePointer($0.pointer.assumingMemoryBound(to: Float.self)) }
        let b = inputs[1].assumingMemoryBound(to: Float.self)
        for row in 0..<m {
            let out = y + row * n
            out.update(repeating: 0, count: n)
            for inner in 0..<k {
                let scale = transA ? a[inner * m + row] : a[row * k + inner]
                if let bKN {
                    let bRow = bKN + inner * n
                    for column in 0..<n { out[column] += scale * bRow[column] }
                } else if transB {
                    for column in 0..<n { out[column] += scale * b[column * k + inner] }
                } else {
                    let bRow = b + inner * n
                    for column in 0..<n { out[column] += scale * bRow[column] }
                }
            }
            if alpha != 1 { for column in 0..<n { out[column] *= alpha } }
            if let cStrides {
                let c = inputs[2].assumingMemoryBound(to: Float.self)
                for column in 0..<n { out[column] += beta * c[row * cStrides.row + column * cStrides.column] }
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        _ = try context.requireElement(0, [.float32])
        _ = try context.requireElement(1, [.float32])
        let a = try context.input(0).type, b = try context.input(1).type
        guard a.rank == 2, b.rank == 2 else { throw context.failure("needs 2-D operands") }
        let transA = context.node.int("transA", default: 0) != 0, transB = context.node.int("transB", default: 0) != 0
        let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
        let n = transB ? b.shape[0] : b.shape[1]
        guard (transB ? b.shape[1] : b.shape[0]) == k else { throw context.failure("inner dimensions differ") }
        var cStrides: (row: Int, column: Int)?
        if context.has(2) {
            let c = try context.input(2).type
            guard let shape = broadcastShape([c.shape, [m, n]]), shape == [m, n] else {
                throw context.failure("C \(c.shape) does not broadcast to [\(m), \(n)]")
            }
            let strides = broadcastStrides(c.shape, to: [m, n])
            cStrides = (strides[0], strides[1])
        }
        var packed: Tensor?
        if transB, let constant = context.inputs[1]?.constant {
            let tensor = Tensor(type: TensorType(.float32, [k, n]))
            let source = constant.pointer.assumingMemoryBound(to: Float.self)
            let target = tensor.pointer.assumingMemoryBound(to: Float.self)
            for row in 0..<n { for column in 0..<k { target[column * n + row] = source[row * k + column] } }
            packed = tensor
        }
        return .compute(GemmKernel(m: m, k: k, n: n, transA: transA, transB: transB,
                                   alpha: context.node.float("alpha", default: 1), beta: context.node.float("beta", default: 1),
                                   cStrides: cStrides, packedB: packed),
                        outputs: [TensorType(.float32, [m, n])])
    }
}
