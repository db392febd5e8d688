/// W [K, N] int8 in `FastInt8LinearKernel`'s layout, with what the kernel derives from the weights
/// at load: the column sums (for the activation zero point) and whether some pair can saturate.
/// Made once per matrix, by a kernel or ahead of lowering (`Int8WeightPrepacking`).
final class PackedInt8Weights: @unchecked Sendable {
    /// K rounded up to a multiple of 4: the inner loop reads four inputs at a time.
    let paddedK: Int
    /// Blocks of 8 output channels, rounded up to even: the inner loop walks two at a time.
    let blocks: Int
    /// [blocks / 2][paddedK / 4][2][8][4] int8, zero past N and K.
    let weights: UnsafeMutablePointer<Int8>
    /// Per output channel (padded to blocks * 8): sum over K of W.
    let columnSums: UnsafeMutablePointer<Int32>
    /// `Int8Linear.canSaturatePairs` of W.
    let canSaturatePairs: Bool

    init(_ source: UnsafePointer<Int8>, k: Int, n: Int) {
        let width = FastInt8LinearKernel.blockWidth
        paddedK = (k + 3) / 4 * 4
        blocks = ((n + width - 1) / width + 1) / 2 * 2
        weights = WeightMemory.allocate(byteCount: blocks * paddedK * width).bindMemory(to: Int8.self, capacity: blocks * paddedK * width)
        columnSums = .allocate(capacity: Swift.max(blocks * width, 1))
        columnSums.initialize(repeating: 0, count: Swift.max(blocks * width, 1))
        Int8Linear.pack(source, k: k, n: n, paddedK: paddedK, into: weights)
        for inner in 0..<k {
            let row = source + inner * n
            for column in 0..<n { columnSums[column] &+= Int32(row[column]) }
        }
        canSaturatePairs = Int8Linear.canSaturatePairs(source, k: k, n: n)
    }

    deinit {
        WeightMemory.deallocate(weights)
        columnSums.deallocate()
    }
}
