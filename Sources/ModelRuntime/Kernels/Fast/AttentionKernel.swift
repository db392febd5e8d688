/// Self-attention of one layer in one step: per batch (head), scores = Q x K (+ bias), masked
/// positions replaced (Where), softmax over each row, then optionally weights x V for value
/// tensors that are ready at that point. Operands are strided views, so the transposes that
/// split heads are read in place.
///
/// Bit for bit the unfused steps: the products are `BlockedMatrixProduct` with `MatMulKernel`'s
/// K slices, the bias is one float add, the softmax is `SoftmaxKernel.normalize`. The scores and
/// masked scores are never stored; only the weights (an output, as other steps may read them) are.
///
/// Inputs: query, key, then the bias, mask and fill if present, then each value tensor.
/// Outputs: the weights (dense, batch x rows x keys), then one result per value tensor.
final class AttentionKernel: Kernel {
    let batches: Int, rows: Int, depth: Int, keys: Int
    let query: MatrixView, key: MatrixView
    let bias: MatrixView?
    let mask: AttentionMask?
    let values: [AttentionValue]
    let scoreSlice: Int
    let valueSlices: [Int]
    let scratchCount: Int
    let widestValue: Int
    /// The softmax's summing lanes (`SoftmaxKernel.normalize`).
    let softmaxLanes: Int

    init(rows: Int, depth: Int, keys: Int, query: MatrixView, key: MatrixView, bias: MatrixView?, mask: AttentionMask?,
         values: [AttentionValue], softmaxLanes: Int) {
        self.softmaxLanes = softmaxLanes
        self.rows = rows
        self.depth = depth
        self.keys = keys
        self.query = query
        self.key = key
        self.bias = bias
        self.mask = mask
        self.values = values
        batches = query.offsets.count
        scoreSlice = MatMulKernel.sliceLength(k: depth, n: keys)
        valueSlices = values.map { MatMulKernel.sliceLength(k: keys, n: $0.width) }
        widestValue = values.map(\.width).max() ?? 0
        // Dense query and key of one batch, then one value and one result.
        scratchCount = Swift.max(rows * depth + depth * keys + keys * widestValue + rows * widestValue, 1)
    }

    var workspaceBytes: Int { scratchCount * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let scratch = memory.shared.scratch(Float.self, at: 0)
        let q = inputs[0].assumingMemoryBound(to: Float.self), k = inputs[1].assumingMemoryBound(to: Float.self)
        var next = 2
        var biasPointer: UnsafePointer<Float>?
        if bias != nil {
            biasPointer = inputs[next].assumingMemoryBound(to: Float.self)
            next += 1
        }
        var condition: UnsafePointer<UInt8>?, fill: UnsafePointer<Float>?
        if mask != nil {
            condition = inputs[next].assumingMemoryBound(to: UInt8.self)
            fill = inputs[next + 1].assumingMemoryBound(to: Float.self)
            next += 2
        }
        let weights = outputs[0].assumingMemoryBound(to: Float.self)
        let denseQuery = query.isDense(columns: depth), denseKey = key.isDense(columns: keys)
        let queryBuffer = scratch, keyBuffer = scratch + rows * depth
        let valueBuffer = keyBuffer + depth * keys, resultBuffer = valueBuffer + keys * widestValue

        for batch in 0..<batches {
            let left: UnsafePointer<Float>
            if denseQuery { left = q + query.offsets[batch] } else {
                query.gather(q, batch: batch, rows: rows, columns: depth, into: queryBuffer)
                left = UnsafePointer(queryBuffer)
            }
            let right: UnsafePointer<Float>
            if denseKey { right = k + key.offsets[batch] } else {
                key.gather(k, batch: batch, rows: depth, columns: keys, into: keyBuffer)
                right = UnsafePointer(keyBuffer)
            }
            let p = weights + batch * rows * keys
            UnpackedMatrixProduct.multiply(left, right, p, m: rows, k: depth, n: keys, sliceK: scoreSlice)

            for row in 0..<rows {
                let scores = p + row * keys
                if let bias, let biasPointer {
                    let b = biasPointer + bias.offsets[batch] + row * bias.rowStride
                    let step = bias.columnStride
                    for j in 0..<keys { scores[j] = scores[j] + b[j * step] }
                }
                if let mask, let condition, let fill {
                    let c = condition + mask.condition.offsets[batch] + row * mask.condition.rowStride
                    let f = fill + mask.fill.offsets[batch] + row * mask.fill.rowStride
                    let cStep = mask.condition.columnStride, fStep = mask.fill.columnStride
                    for j in 0..<keys where (c[j * cStep] != 0) == mask.fillWhereTrue { scores[j] = f[j * fStep] }
                }
                SoftmaxKernel.normalize(scores, scores, width: keys, lanes: softmaxLanes)
            }

            for (index, value) in values.enumerated() {
                let v = inputs[next + index].assumingMemoryBound(to: Float.self)
                let y = outputs[1 + index].assumingMemoryBound(to: Float.self)
                let width = value.width
                let dense: UnsafePointer<Float>
                if value.view.isDense(columns: width) { dense = v + value.view.offsets[batch] } else {
                    value.view.gather(v, batch: batch, rows: keys, columns: width, into: valueBuffer)
                    dense = UnsafePointer(valueBuffer)
                }
                if value.output.isDense(columns: width) {
                    UnpackedMatrixProduct.multiply(p, dense, y + value.output.offsets[batch], m: rows, k: keys, n: width,
                                                  sliceK: valueSlices[index])
                } else {
                    UnpackedMatrixProduct.multiply(p, dense, resultBuffer, m: rows, k: keys, n: width, sliceK: valueSlices[index])
                    for row in 0..<rows {
                        value.output.scatterRow(resultBuffer + row * width, batch: batch, row: row, columns: width, into: y)
                    }
                }
            }
        }
    }
}
