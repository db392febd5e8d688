import Foundation

/// The small numeric kernels of the search: arg-max, log-softmax and top-k over joiner scores.
public enum ScoreKernels {
    /// Index of the largest value; the first one on ties (as `std::max_element`). Empty input gives 0.
    public static func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        guard var best = values.first else { return 0 }
        var bestIndex = 0
        for index in 1..<values.count where values[index] > best {
            best = values[index]
            bestIndex = index
        }
        return bestIndex
    }

    /// Replaces `values` with their log-softmax: x - (max + log(sum(exp(x - max)))) with the
    /// reference's roundings: each x - max in Float, its exponential in Double added to a Float sum
    /// (rounded after each addition), the offset max + log(sum) in Double rounded to Float.
    public static func logSoftmax(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let first = values.first else { return }
        var maximum = first
        for value in values where value > maximum { maximum = value }
        var sum: Float = 0
        for value in values { sum = Float(Double(sum) + exp(Double(value - maximum))) }
        let offset = Float(Double(maximum) + log(Double(sum)))
        addConstant(-offset, to: values)
    }

    /// Adds `constant` to every value, eight lanes at a time.
    public static func addConstant(_ constant: Float, to values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress else { return }
        let count = values.count
        let vectorEnd = count & ~7
        let splat = SIMD8<Float>(repeating: constant)
        var index = 0
        let raw = UnsafeMutableRawPointer(base)
        while index < vectorEnd {
            let lanes = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            raw.storeBytes(of: lanes + splat, toByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            base[index] += constant
            index += 1
        }
    }

    /// Indices of the `k` largest values, largest first; ties keep the lower index first.
    public static func topK(_ values: UnsafeBufferPointer<Float>, k: Int) -> [Int] {
        var indices: [Int] = []
        topK(values, k: k, into: &indices)
        return indices
    }

    /// `topK` into a caller-owned array, which keeps its capacity (no allocation once it holds k).
    ///
    /// The indices of the k largest values in the order libstdc++'s `std::partial_sort` leaves them
    /// with the reference's comparison (`a > b`): a heap of the first k, each later value that beats
    /// the heap's top replacing it, then a heap sort. Equal values therefore come out as in the
    /// reference, which matters when scores tie exactly.
    public static func topK(_ values: UnsafeBufferPointer<Float>, k: Int, into indices: inout [Int]) {
        indices.removeAll(keepingCapacity: true)
        let k = min(k, values.count)
        guard k > 0 else { return }
        indices.append(contentsOf: 0..<k)
        indices.withUnsafeMutableBufferPointer { heap in
            @inline(__always) func before(_ a: Int, _ b: Int) -> Bool { values[a] > values[b] }
            // libstdc++'s __adjust_heap: sift the hole down to a leaf, then push `value` up.
            func adjust(_ start: Int, _ length: Int, _ value: Int) {
                var hole = start, child = start
                while child < (length - 1) / 2 {
                    child = 2 * (child + 1)
                    if before(heap[child], heap[child - 1]) { child -= 1 }
                    heap[hole] = heap[child]
                    hole = child
                }
                if length & 1 == 0 && child == (length - 2) / 2 {
                    child = 2 * (child + 1)
                    heap[hole] = heap[child - 1]
                    hole = child - 1
                }
                var parent = (hole - 1) / 2
                while hole > start && before(heap[parent], value) {
                    heap[hole] = heap[parent]
                    hole = parent
                    parent = (hole - 1) / 2
                }
                heap[hole] = value
            }
            if k > 1 {
                for parent in stride(from: (k - 2) / 2, through: 0, by: -1) { adjust(parent, k, heap[parent]) }
            }
            for index in k..<values.count where before(index, heap[0]) { adjust(0, k, index) }
            for last in stride(from: k - 1, to: 0, by: -1) {
                let value = heap[last]
                heap[last] = heap[0]
                adjust(0, last, value)
            }
        }
    }

    /// log(exp(a) + exp(b)) without overflow.
    public static func logAdd(_ a: Double, _ b: Double) -> Double {
        let (high, low) = a >= b ? (a, b) : (b, a)
        // The reference returns the larger one below log(DBL_EPSILON).
        if low - high < -36.0436533891171535515 { return high }
        return high + log1p(exp(low - high))
    }
}
