import CKernels

/// Gemm: alpha * op(A) * op(B) + beta * C, 2-D, rounded as onnxruntime's Gemm: C is copied into
/// the output first (times beta unless beta is 1), then MLAS's SGEMM adds the product.
///
/// A B that onnxruntime packs at load (an initializer) is summed per K slice of 256 with fused
/// multiply-adds from zero, each slice's sum times alpha added to the output with one rounding. Any
/// other B goes the same way with MLAS's K slice for its shape, except that with alpha 1, beta 0 or
/// 1 and one output row (A not transposed) or one output column (B not transposed), MLAS runs its
/// one-row kernels (`OneRowProduct`, `EightLaneDotProduct`), which add C last or start from it.
final class GemmKernel: Kernel {
    let m: Int, k: Int, n: Int
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float
    let cStrides: (row: Int, column: Int)?
    /// B as [K, N] when it was a transposed packed B.
    let packedB: Tensor?
    let isPacked: Bool
    /// The K slice of B's sums.
    let sliceK: Int
    var ownedBytes: Int { packedB?.type.byteCount ?? 0 }
    /// One row of slice sums.
    var workspaceBytes: Int { Swift.max(n, 1) * 4 }

    /// A packed B that is transposed is repacked as [K, N] here.
    init(_ attributes: GemmAttributes) {
        m = attributes.m; k = attributes.k; n = attributes.n
        transA = attributes.transA; transB = attributes.transB
        alpha = attributes.alpha; beta = attributes.beta
        cStrides = attributes.cStrides
        isPacked = attributes.packedB && attributes.constantB != nil
        sliceK = MatMulKernel.sliceLength(k: k, n: n, prepackedB: isPacked, transposesA: transA)
        if isPacked, transB, let constantB = attributes.constantB {
            let tensor = Tensor(type: TensorType(.float32, [k, n]))
            let source = constantB.pointer.assumingMemoryBound(to: Float.self)
            let target = tensor.pointer.assumingMemoryBound(to: Float.self)
            for row in 0..<n { for column in 0..<k { target[column * n + row] = source[row * k + column] } }
            packedB = tensor
        } else {
            packedB = nil
        }
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let partial = memory.shared.scratch(Float.self, at: 0)
        let a = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let b = inputs[1].assumingMemoryBound(to: Float.self)
        // C counts only with a nonzero beta, as onnxruntime passes MLAS beta 0 without C.
        let addsC = cStrides != nil && beta != 0
        if addsC { copyC(inputs, into: y) }
        if !isPacked, alpha == 1, !addsC || beta == 1, runOneRowKernel(a, b, into: y, addsC: addsC) { return }
        // B element (inner, column) at inner * stride.inner + column * stride.column.
        let (base, stride): (UnsafePointer<Float>, (inner: Int, column: Int)) = if let packedB {
            (UnsafePointer(packedB.pointer.assumingMemoryBound(to: Float.self)), (n, 1))
        } else {
            (UnsafePointer(b), transB ? (1, k) : (n, 1))
        }
        for row in 0..<m {
            runSliced(a, base, stride: stride, row: row, into: y + row * n, partial: partial, addsC: addsC)
        }
    }

    /// C broadcast into the output, times beta unless beta is 1, as onnxruntime starts a Gemm.
    private func copyC(_ inputs: UnsafePointer<UnsafeRawPointer>, into y: UnsafeMutablePointer<Float>) {
        guard let cStrides else { return }
        let c = inputs[2].assumingMemoryBound(to: Float.self)
        for row in 0..<m {
            for column in 0..<n {
                let value = c[row * cStrides.row + column * cStrides.column]
                y[row * n + column] = beta == 1 ? value : beta * value
            }
        }
    }

    /// MLAS's one-row kernels, where its conditions hold (see the type's comment); false elsewhere.
    /// With `addsC` they start from the output, which holds C.
    private func runOneRowKernel(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                                 addsC: Bool) -> Bool {
        guard (m == 1 && !transA) || (n == 1 && (!transB || k == 1)) else { return false }
        if m == 1 && !transA {
            if transB {
                EightLaneDotProduct.products(a, rows: b, stride: k, count: k, rowCount: n, into: y, accumulates: addsC)
            } else {
                OneRowProduct.multiply(a, b, rowStride: n, k: k, n: n, into: y, accumulates: addsC)
            }
        } else if transA {
            // B's column times A's columns: A is [K, M], read as a B of M columns.
            OneRowProduct.multiply(b, a, rowStride: m, k: k, n: m, into: y, accumulates: addsC)
        } else {
            EightLaneDotProduct.products(b, rows: a, stride: k, count: k, rowCount: m, into: y, accumulates: addsC)
        }
        return true
    }

    /// One output row the way MLAS's SGEMM rounds it with K slices (see the type's comment). With
    /// `addsC` it starts from the output row, which holds beta * C.
    private func runSliced(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, stride: (inner: Int, column: Int),
                           row: Int, into out: UnsafeMutablePointer<Float>, partial: UnsafeMutablePointer<Float>, addsC: Bool) {
        var started = addsC
        var start = 0
        while start < k {
            let end = Swift.min(start + sliceK, k)
            partial.update(repeating: 0, count: n)
            #if arch(x86_64)
            let inC = KernelSet.active == .avx2 && stride.column == 1
            if inC {
                asr_avx2_accumulate_row_product(a + (transA ? start * m + row : row * k + start), transA ? m : 1,
                                                b + start * stride.inner, end - start, n, partial)
            }
            #else
            let inC = false
            #endif
            for inner in start..<end where !inC {
                let scale = transA ? a[inner * m + row] : a[row * k + inner]
                let bRow = b + inner * stride.inner
                for column in 0..<n { partial[column] = partial[column].addingProduct(scale, bRow[column * stride.column]) }
            }
            for column in 0..<n {
                if !started {
                    out[column] = alpha == 1 ? partial[column] : partial[column] * alpha
                } else {
                    out[column] = alpha == 1 ? partial[column] + out[column] : out[column].addingProduct(partial[column], alpha)
                }
            }
            started = true
            start = end
        }
        if !started { out.update(repeating: 0, count: n) }
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
        let attributes = GemmAttributes(m: m, k: k, n: n, transA: transA, transB: transB,
                                        alpha: context.node.float("alpha", default: 1), beta: context.node.float("beta", default: 1),
                                        cStrides: cStrides, constantB: context.inputs[1]?.constant,
                                        packedB: context.isInitializer[1])
        return .compute(.gemm(attributes), outputs: [TensorType(.float32, [m, n])])
    }
}
