import CKernels

/// Gemm: alpha * op(A) * op(B) + beta * C, 2-D. A transposed B is repacked at load when constant.
///
/// A constant B is what onnxruntime packs at load; its packed SGEMM then starts from beta * C and
/// adds, per K slice of 256, a sum of fused multiply-adds from zero (times alpha, one rounding).
/// A B computed at run time is summed in K order without fused multiply-adds, C added last.
final class GemmKernel: Kernel {
    let m: Int, k: Int, n: Int
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float
    let cStrides: (row: Int, column: Int)?
    /// B as [K, N] when it was a transposed constant.
    let packedB: Tensor?
    let constantB: Bool
    var ownedBytes: Int { packedB?.type.byteCount ?? 0 }
    /// One row of slice sums (constant B).
    var workspaceBytes: Int { Swift.max(n, 1) * 4 }

    /// K slice of MLAS's packed B.
    static let packedSliceK = 256

    /// A constant B that is transposed is repacked as [K, N] here.
    init(_ attributes: GemmAttributes) {
        m = attributes.m; k = attributes.k; n = attributes.n
        transA = attributes.transA; transB = attributes.transB
        alpha = attributes.alpha; beta = attributes.beta
        cStrides = attributes.cStrides
        constantB = attributes.constantB != nil
        if transB, let constantB = attributes.constantB {
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
        let bKN = packedB.map { UnsafePointer($0.pointer.assumingMemoryBound(to: Float.self)) } ?? (transB ? nil : UnsafePointer(b))
        for row in 0..<m {
            let out = y + row * n
            if constantB, let bKN {
                runPacked(a, bKN, inputs, row: row, into: out, partial: partial)
                continue
            }
            out.update(repeating: 0, count: n)
            for inner in 0..<k {
                let scale = transA ? a[inner * m + row] : a[row * k + inner]
                if let bKN {
                    let bRow = bKN + inner * n
                    for column in 0..<n { out[column] += scale * bRow[column] }
                } else {
                    for column in 0..<n { out[column] += scale * b[column * k + inner] }
                }
            }
            if alpha != 1 { for column in 0..<n { out[column] *= alpha } }
            if let cStrides {
                let c = inputs[2].assumingMemoryBound(to: Float.self)
                for column in 0..<n { out[column] += beta * c[row * cStrides.row + column * cStrides.column] }
            }
        }
    }

    /// One output row the way MLAS's packed SGEMM rounds it (see the type's comment).
    private func runPacked(_ a: UnsafePointer<Float>, _ bKN: UnsafePointer<Float>, _ inputs: UnsafePointer<UnsafeRawPointer>,
                           row: Int, into out: UnsafeMutablePointer<Float>, partial: UnsafeMutablePointer<Float>) {
        var started = false
        if let cStrides, beta != 0 {
            let c = inputs[2].assumingMemoryBound(to: Float.self)
            for column in 0..<n {
                let value = c[row * cStrides.row + column * cStrides.column]
                out[column] = beta == 1 ? value : beta * value
            }
            started = true
        }
        var start = 0
        while start < k {
            let end = Swift.min(start + Self.packedSliceK, k)
            partial.update(repeating: 0, count: n)
            #if arch(x86_64)
            let inC = KernelSet.active == .avx2
            if inC {
                asr_avx2_accumulate_row_product(a + (transA ? start * m + row : row * k + start), transA ? m : 1,
                                                bKN + start * n, end - start, n, partial)
            }
            #else
            let inC = false
            #endif
            for inner in start..<end where !inC {
                let scale = transA ? a[inner * m + row] : a[row * k + inner]
                let bRow = bKN + inner * n
                for column in 0..<n { partial[column] = partial[column].addingProduct(scale, bRow[column]) }
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
                                        cStrides: cStrides, constantB: context.inputs[1]?.constant)
        return .compute(.gemm(attributes), outputs: [TensorType(.float32, [m, n])])
    }
}
