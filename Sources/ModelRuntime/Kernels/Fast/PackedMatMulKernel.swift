import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// fp32 MatMul by a constant 2-D B shared by every batch (a linear layer whose weights reach the
/// MatMul as a constant, e.g. the conformer's attention projections): B is packed once at load in
/// panels of 16 columns, [ceil(n / 16)][k][16], so the product streams it instead of striding a
/// row of B per step. Same K slices and fused multiply-adds as `MatMulKernel`: the same bits.
///
/// With `reusesRows`, each stream keeps its last input (own scratch) and output (the output itself,
/// which the planner keeps between runs), and input rows that reappear shifted up (the carried left
/// context a streaming model concatenates before a projection, e.g. the conformer's keys and values
/// over 64 cached frames + 16 new ones) take their output rows from the last run instead of being
/// multiplied again. An output row depends only on its input row, computed the same way in any row
/// tile, so equal input bytes give equal output bytes.
final class PackedMatMulKernel: Kernel {
    /// All batches' rows as one product: [rows, k] x [k, n].
    let rows: Int, k: Int, n: Int
    let sliceK: Int
    let reusesRows: Bool
    private let panels: UnsafeMutablePointer<Float>
    private let panelCount: Int
    /// Own scratch with `reusesRows`: the count of valid rows kept, the last input.
    private let ownLayout: ScratchLayout
    private let keptRowsOffset: Int, lastInputOffset: Int

    /// Whether `kernelSet` has this kernel: only the AVX2 set does (the portable one keeps `MatMulKernel`).
    static func isAvailable(in kernelSet: KernelSet) -> Bool { kernelSet == .avx2 }

    /// Packs `b` [k, n]; nil unless `isAvailable(in: kernelSet)`.
    init?(rows: Int, k: Int, n: Int, b: UnsafePointer<Float>, sliceK: Int, reusesRows: Bool = false, kernelSet: KernelSet) {
        guard Self.isAvailable(in: kernelSet) else { return nil }
        self.rows = rows
        self.k = k
        self.n = n
        self.sliceK = sliceK
        self.reusesRows = reusesRows
        var layout = ScratchLayout()
        keptRowsOffset = layout.reserve(Int.self, count: 1)
        lastInputOffset = layout.reserve(Float.self, count: reusesRows ? rows * k : 0)
        ownLayout = layout
        panelCount = Swift.max(Self.panelFloats(k: k, n: n), 1)
        panels = WeightMemory.allocate(byteCount: panelCount * 4).bindMemory(to: Float.self, capacity: panelCount)
        Self.pack(b, k: k, n: n, into: panels)
    }

    /// Floats of a [k, n] matrix in panels of 16 columns, the last one padded.
    static func panelFloats(k: Int, n: Int) -> Int { (n + 15) / 16 * k * 16 }

    /// Packs `b` [k, n] into `panels` ([ceil(n / 16)][k][16], zeroed by the caller: the padding stays 0).
    static func pack(_ b: UnsafePointer<Float>, k: Int, n: Int, into panels: UnsafeMutablePointer<Float>) {
        for column in stride(from: 0, to: n, by: 16) {
            let panel = panels + column * k, width = Swift.min(16, n - column)
            for inner in 0..<k {
                (panel + inner * 16).update(from: b + inner * n + column, count: width)
            }
        }
    }

    deinit { WeightMemory.deallocate(panels) }

    var ownedBytes: Int { panelCount * 4 }
    var scratchBytes: Int { reusesRows ? ownLayout.bytes : 0 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        #if arch(x86_64)
        let a = inputs[0].assumingMemoryBound(to: Float.self), y = outputs[0].assumingMemoryBound(to: Float.self)
        guard reusesRows else { return PackedMatrixProducts.multiply(a, columnPanels: panels, into: y, m: rows, k: k, n: n, slice: sliceK) }
        let keptRows = memory.own.scratch(Int.self, at: keptRowsOffset)
        let lastInput = memory.own.scratch(Float.self, at: lastInputOffset)
        let reused = reusableRows(a, lastInput, kept: keptRows.pointee)
        // y still holds the last run's output: its reusable rows move up.
        if reused > 0 { memmove(y, y + (rows - reused) * n, reused * n * MemoryLayout<Float>.stride) }
        PackedMatrixProducts.multiply(a + reused * k, columnPanels: panels, into: y + reused * n, m: rows - reused, k: k, n: n, slice: sliceK)
        lastInput.update(from: a, count: rows * k)
        keptRows.pointee = rows
        #endif
    }

    /// How many leading rows of `a` are the last run's rows from some row `shift` on, byte for byte
    /// (the smallest shift, the most rows); 0 when none are.
    private func reusableRows(_ a: UnsafePointer<Float>, _ last: UnsafePointer<Float>, kept: Int) -> Int {
        let rowBytes = k * MemoryLayout<Float>.stride
        guard kept == rows else { return 0 }
        for shift in 1..<rows where memcmp(a, last + shift * k, rowBytes) == 0 {
            if memcmp(a + k, last + (shift + 1) * k, (rows - shift - 1) * rowBytes) == 0 { return rows - shift }
        }
        return 0
    }
}
