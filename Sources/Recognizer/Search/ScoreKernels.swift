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

    /// Replaces `values` with their log-softmax: x - (max + log(sum(exp(x - max)))), in Float as the
    /// reference computes it.
    public static func logSoftmax(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let first = values.first else { return }
        var maximum = first
        for value in values where value > maximum { maximum = value }
        var sum: Float = 0
        for value in values { sum += expf(value - maximum) }
        let offset = maximum + logf(sum)
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

    /// `topK` into a caller-owned array, which keeps its capacity (no allocation once it holds k + 1).
    public static func topK(_ values: UnsafeBufferPointer<Float>, k: Int, into indices: inout [Int]) {
        indices.removeAll(keepingCapacity: true)
        let k = min(k, values.count)
        guard k > 0 else { return }
        // A small sorted list: k is the beam width, so insertion is cheaper than a heap.
        indices.reserveCapacity(k + 1)
        for index in 0..<values.count {
            let value = values[index]
            if indices.count == k, let last = indices.last, !(value > values[last]) { continue }
            var position = indices.count
            while position > 0 && value > values[indices[position - 1]] { position -= 1 }
            indices.insert(index, at: position)
            if indices.count > k { indices.removeLast() }
        }
    }

    /// log(exp(a) + exp(b)) without overflow.
    public static func logAdd(_ a: Double, _ b: Double) -> Double {
        let (high, low) = a >= b ? (a, b) : (b, a)
        if low == -.infinity { return high }
        return high + log1p(exp(low - high))
    }
}
