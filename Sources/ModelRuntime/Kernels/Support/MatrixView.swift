import CKernels

/// A batch of matrices read or written in place through strides: where each batch's matrix starts
/// (in elements), and the steps between rows and between columns. Lets a kernel take a transposed,
/// sliced or broadcast tensor without a copy step in front of it.
struct MatrixView {
    /// Element offset of each batch's matrix, batches in row-major order of the batch shape.
    let offsets: [Int]
    let rowStride: Int
    let columnStride: Int

    /// A tensor of `shape` stored with `strides` (one per dimension, from `base`), read as a tensor
    /// of `target` = batch dimensions + [rows, columns]: dimensions align from the right, and size-1
    /// or missing dimensions broadcast.
    init(base: Int = 0, shape: [Int], strides: [Int], target: [Int]) {
        let rank = target.count
        let offset = rank - shape.count
        let aligned: [Int] = (0..<rank).map { axis in
            let source = axis - offset
            if source < 0 || shape[source] == 1 { return 0 }
            return strides[source]
        }
        rowStride = rank >= 2 ? aligned[rank - 2] : 0
        columnStride = rank >= 1 ? aligned[rank - 1] : 0
        var offsets = [base]
        for axis in stride(from: rank - 3, through: 0, by: -1) {
            let size = target[axis], step = aligned[axis]
            var next: [Int] = []
            next.reserveCapacity(offsets.count * size)
            for index in 0..<size { for previous in offsets { next.append(index * step + previous) } }
            offsets = next
        }
        self.offsets = offsets
    }

    /// A contiguous tensor of `shape` read as `target`.
    init(contiguous shape: [Int], target: [Int]) {
        self.init(shape: shape, strides: contiguousStrides(shape), target: target)
    }

    /// Whether rows are stored one after another, `columns` apart, each contiguous.
    func isDense(columns: Int) -> Bool { columnStride == 1 && rowStride == columns }

    /// Copies batch `batch`'s `rows` x `columns` matrix of `source` into `target`, dense.
    @inline(__always)
    func gather(_ source: UnsafePointer<Float>, batch: Int, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
        let start = source + offsets[batch]
        #if arch(x86_64)
        // A transposed operand (keys read as K^T): its columns are the stored rows.
        if rowStride == 1 && columnStride != 1 && KernelSet.active == .avx2 {
            return asr_avx2_transpose(start, columnStride, columns, rows, target, columns)
        }
        #endif
        for r in 0..<rows {
            let row = start + r * rowStride, out = target + r * columns
            if columnStride == 1 {
                out.update(from: row, count: columns)
            } else {
                for c in 0..<columns { out[c] = row[c * columnStride] }
            }
        }
    }

    /// Copies one dense row of `columns` values to row `row` of batch `batch`'s matrix in `target`.
    @inline(__always)
    func scatterRow(_ values: UnsafePointer<Float>, batch: Int, row: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
        let out = target + offsets[batch] + row * rowStride
        if columnStride == 1 {
            out.update(from: values, count: columns)
        } else {
            for c in 0..<columns { out[c * columnStride] = values[c] }
        }
    }
}
