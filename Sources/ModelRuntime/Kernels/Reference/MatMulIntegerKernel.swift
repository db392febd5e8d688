/// MatMulInteger: int32 y = (A - a_zero) x (B - b_zero), A [..., M, K] and B [..., K, N] 8-bit with
/// numpy batch broadcasting, a scalar a_zero and a scalar or per-column (N values) b_zero.
///
/// uint8 A times int8 B reproduces onnxruntime on AVX2 without VNNI (MLAS `vpmaddubsw`): the raw
/// products of each K pair (2i, 2i+1) are summed with int16 saturation, then zero points are
/// applied through row and column sums. Other type pairs are exact.
final class MatMulIntegerKernel: Kernel {
    let m: Int, k: Int, n: Int
    let aSigned: Bool, bSigned: Bool
    let hasAZero: Bool, hasBZero: Bool
    let bZeroCount: Int
    /// Per batch: element offsets of the output, A and B.
    let layout: StridedLayout
    let bCount: Int
    /// What the products read of B: b_zero per output column (a scalar one repeated, N values),
    /// (B - b_zero) as Int16 in B's layout or raw B for the saturating uint8 x int8 path, and the
    /// column sums of raw B per batch of B (saturating path).
    private struct PreparedB {
        let zeros: UnsafeMutablePointer<Int32>
        let widened: UnsafeMutablePointer<Int16>
        let columnSums: UnsafeMutablePointer<Int32>
    }
    /// For a constant B: filled once when the kernel is made, twice the weights' bytes. For a B
    /// computed at run time, each run prepares it in scratch.
    private var constantPrepared: PreparedB?
    /// uint8 A x int8 B on a CPU where onnxruntime sums pairs in int16 (`Int8Products.saturatingPairs`): emulate the saturation.
    let saturatingPairs: Bool
    /// Scratch: one row of (A - a_zero) as Int32 (raw A for the saturating path), then a run-time B's `PreparedB`.
    private let scratchLayout: ScratchLayout
    private let rowOffset: Int, zerosOffset: Int, widenedOffset: Int, columnSumsOffset: Int

    init(m: Int, k: Int, n: Int, layout: StridedLayout, bCount: Int, aSigned: Bool, bSigned: Bool, saturatesPairs: Bool,
         hasAZero: Bool, hasBZero: Bool, bZeroCount: Int, constantB: Tensor?, constantBZero: Tensor?) {
        self.m = m; self.k = k; self.n = n
        self.layout = layout
        self.bCount = bCount
        self.aSigned = aSigned; self.bSigned = bSigned
        self.hasAZero = hasAZero; self.hasBZero = hasBZero
        self.bZeroCount = bZeroCount
        saturatingPairs = saturatesPairs && !aSigned && bSigned
        var layout = ScratchLayout()
        rowOffset = layout.reserve(Int32.self, count: Swift.max(k + 1, 2))
        (zerosOffset, widenedOffset, columnSumsOffset) = constantB == nil
            ? (layout.reserve(Int32.self, count: n), layout.reserve(Int16.self, count: bCount),
               layout.reserve(Int32.self, count: bCount / Swift.max(k, 1)))
            : (0, 0, 0)
        scratchLayout = layout
        guard let constantB else { return }
        let prepared = PreparedB(zeros: .allocate(capacity: Swift.max(n, 1)), widened: .allocate(capacity: Swift.max(bCount, 1)),
                                 columnSums: .allocate(capacity: Swift.max(bCount / Swift.max(k, 1), 1)))
        prepared.zeros.initialize(repeating: 0, count: Swift.max(n, 1))
        if let constantBZero { loadBZeros(constantBZero.pointer, count: constantBZero.type.count, into: prepared) }
        prepareB(constantB.pointer, into: prepared)
        constantPrepared = prepared
    }

    deinit {
        guard let constantPrepared else { return }
        constantPrepared.zeros.deallocate()
        constantPrepared.widened.deallocate()
        constantPrepared.columnSums.deallocate()
    }

    var ownedBytes: Int {
        constantPrepared == nil ? 0 : Swift.max(bCount, 1) * 2 + Swift.max(bCount / Swift.max(k, 1), 1) * 4 + Swift.max(n, 1) * 4
    }

    var scratchBytes: Int { scratchLayout.bytes }

    /// Fills the zero points from a b_zero of `count` values: 1 (repeated) or N.
    private func loadBZeros(_ zero: UnsafeRawPointer, count: Int, into prepared: PreparedB) {
        for column in 0..<n { prepared.zeros[column] = Int32(MatMulIntegerKernel.load(zero, count == 1 ? 0 : column, signed: bSigned)) }
    }

    /// Widens B, less its zero points unless the saturating path applies them after the products.
    private func prepareB(_ b: UnsafeRawPointer, into prepared: PreparedB) {
        let widenedB = prepared.widened, columnSums = prepared.columnSums
        if saturatingPairs {
            MatMulIntegerKernel.widen(b, signed: true, count: bCount, columns: n, zeros: nil, into: widenedB)
            let columns = bCount / Swift.max(k, 1)  // batches of B times N
            for c in 0..<columns {
                let batch = c / n, column = c % n
                var sum: Int32 = 0
                for inner in 0..<k { sum += Int32(widenedB[(batch * k + inner) * n + column]) }
                columnSums[c] = sum
            }
        } else {
            MatMulIntegerKernel.widen(b, signed: bSigned, count: bCount, columns: n, zeros: prepared.zeros, into: widenedB)
        }
    }

    @inline(__always)
    static func load(_ p: UnsafeRawPointer, _ i: Int, signed: Bool) -> Int16 {
        signed ? Int16(p.load(fromByteOffset: i, as: Int8.self)) : Int16(p.load(fromByteOffset: i, as: UInt8.self))
    }

    /// `count` 8-bit values, rows of `columns`, as Int16, less each column's zero point (`zeros`,
    /// `columns` values) when given.
    static func widen(_ source: UnsafeRawPointer, signed: Bool, count: Int, columns: Int, zeros: UnsafePointer<Int32>?,
                      into target: UnsafeMutablePointer<Int16>) {
        var start = 0
        while start < count {
            for column in 0..<Swift.min(columns, count - start) {
                let raw = signed ? Int16(source.load(fromByteOffset: start + column, as: Int8.self))
                    : Int16(source.load(fromByteOffset: start + column, as: UInt8.self))
                target[start + column] = raw - Int16(zeros?[column] ?? 0)
            }
            start += Swift.max(columns, 1)
        }
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let aZero = hasAZero ? Int32(MatMulIntegerKernel.load(inputs[2], 0, signed: aSigned)) : 0
        let prepared: PreparedB
        if let constantPrepared {
            prepared = constantPrepared
        } else {
            prepared = PreparedB(zeros: memory.own.scratch(Int32.self, at: zerosOffset), widened: memory.own.scratch(Int16.self, at: widenedOffset),
                                 columnSums: memory.own.scratch(Int32.self, at: columnSumsOffset))
            if hasBZero { loadBZeros(inputs[3], count: bZeroCount, into: prepared) }
            prepareB(inputs[1], into: prepared)
        }
        let rowScratch = memory.own.scratch(Int32.self, at: rowOffset)
        let y = outputs[0].assumingMemoryBound(to: Int32.self)
        let widenedB = prepared.widened, columnSums = prepared.columnSums
        for o in 0..<layout.outerCount {
            for i in 0..<layout.innerCount {
                let yOffset = layout.outerOffsets[0][o] + i * layout.innerStrides[0]
                let aOffset = layout.outerOffsets[1][o] + i * layout.innerStrides[1]
                let bOffset = layout.outerOffsets[2][o] + i * layout.innerStrides[2]
                if saturatingPairs {
                    multiplySaturating(inputs[0].assumingMemoryBound(to: UInt8.self) + aOffset, aZero: aZero,
                                       widenedB + bOffset, columnSums + bOffset / Swift.max(k, 1), y + yOffset,
                                       zeros: prepared.zeros, rowScratch: rowScratch)
                } else {
                    multiply(inputs[0] + aOffset, aZero: aZero, widenedB + bOffset, y + yOffset, rowScratch: rowScratch)
                }
            }
        }
    }

    private func multiply(_ a: UnsafeRawPointer, aZero: Int32, _ b: UnsafeMutablePointer<Int16>, _ y: UnsafeMutablePointer<Int32>,
                          rowScratch: UnsafeMutablePointer<Int32>) {
        for row in 0..<m {
            if aSigned {
                let pa = a.assumingMemoryBound(to: Int8.self) + row * k
                for i in 0..<k { rowScratch[i] = Int32(pa[i]) - aZero }
            } else {
                let pa = a.assumingMemoryBound(to: UInt8.self) + row * k
                for i in 0..<k { rowScratch[i] = Int32(pa[i]) - aZero }
            }
            let out = y + row * n
            out.update(repeating: 0, count: n)
            for inner in 0..<k {
                let scale = rowScratch[inner]
                if scale == 0 { continue }
                let bRow = b + inner * n
                for column in 0..<n { out[column] &+= scale &* Int32(bRow[column]) }
            }
        }
    }

    /// sum over K pairs of saturate16(a[2i] b[2i] + a[2i+1] b[2i+1]) on raw values, then
    /// - a_zero * colsum(B) - b_zero * rowsum(A) + K a_zero b_zero, b_zero of the column.
    private func multiplySaturating(_ a: UnsafePointer<UInt8>, aZero: Int32, _ b: UnsafeMutablePointer<Int16>,
                                    _ sums: UnsafeMutablePointer<Int32>, _ y: UnsafeMutablePointer<Int32>,
                                    zeros bZeros: UnsafeMutablePointer<Int32>, rowScratch: UnsafeMutablePointer<Int32>) {
        let pairs = (k + 1) / 2
        for row in 0..<m {
            let pa = a + row * k
            var rowSum: Int32 = 0
            for i in 0..<k {
                rowScratch[i] = Int32(pa[i])
                rowSum += Int32(pa[i])
            }
            rowScratch[k] = 0
            let out = y + row * n
            out.update(repeating: 0, count: n)
            for pair in 0..<pairs {
                let a0 = rowScratch[2 * pair], a1 = rowScratch[2 * pair + 1]
                if a0 == 0 && a1 == 0 { continue }
                let b0 = b + 2 * pair * n
                if 2 * pair + 1 < k {
                    let b1 = b0 + n
                    for column in 0..<n {
                        let s = a0 &* Int32(b0[column]) &+ a1 &* Int32(b1[column])
                        out[column] &+= Swift.min(Swift.max(s, -32768), 32767)
                    }
                } else {
                    for column in 0..<n { out[column] &+= a0 &* Int32(b0[column]) }
                }
            }
            for column in 0..<n {
                let bZero = bZeros[column]
                out[column] = out[column] &- aZero &* sums[column] &+ (Int32(k) &* aZero &* bZero &- bZero &* rowSum)
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let aElement = try context.requireElement(0, [.uint8, .int8])
        let bElement = try context.requireElement(1, [.uint8, .int8])
        var a = try context.input(0).type, b = try context.input(1).type
        guard a.rank >= 1, b.rank >= 2 else { throw context.failure("needs B of rank 2 or more, got \(b.shape)") }
        let aWasVector = a.rank == 1
        if aWasVector { a.shape.insert(1, at: 0) }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        guard b.shape[b.rank - 2] == k else { throw context.failure("inner dimensions differ: \(a.shape) x \(b.shape)") }
        if context.has(2), try context.input(2).type.count != 1 { throw context.failure("only a scalar a_zero_point is supported") }
        let bZeroType = context.has(3) ? try context.input(3).type : nil
        let bZeroCount = bZeroType?.count ?? 1
        guard bZeroCount == 1 || (bZeroCount == n && bZeroType?.rank == 1) else {
            throw context.failure("b_zero_point must be a scalar or have one value per column (\(n)), got \(bZeroCount)")
        }
        let (batch, layout) = try MatMulKernel.batchLayout(a.shape, b.shape, m: m, k: k, n: n, context)
        let shape = aWasVector && batch.isEmpty ? [n] : batch + [m, n]
        let bZero: Tensor? = context.has(3) ? context.inputs[3]?.constant : nil
        let constantB = (context.inputs[1]?.constant != nil && (!context.has(3) || bZero != nil)) ? context.inputs[1]?.constant : nil
        let saturatesPairs = context.arithmetic.int8Products == .saturatingPairs
        let hasAZero = context.has(2), hasBZero = context.has(3)
        let attributes = MatMulIntegerAttributes(m: m, k: k, n: n, layout: layout, bCount: b.count, aSigned: aElement == .int8,
                                                 bSigned: bElement == .int8, saturatesPairs: saturatesPairs, hasAZero: hasAZero,
                                                 hasBZero: hasBZero, bZeroCount: bZeroCount, constantB: constantB, constantBZero: bZero)
        return .compute(.matMulInteger(attributes), outputs: [TensorType(.int32, shape)])
    }
}
