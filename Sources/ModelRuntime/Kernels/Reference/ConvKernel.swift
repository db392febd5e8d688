/// fp32 Conv over 1-D or 2-D inputs with groups (depthwise included), pads, strides and dilations.
///
/// Ungrouped convolutions are a matrix product: weights [M, C*kh*kw] times the unfolded input
/// [C*kh*kw, oh*ow] (skipped for 1x1 kernels that read the input as is). Grouped ones accumulate
/// tap by tap: output row += weight * shifted input row, so the inner loop is contiguous.
/// Both follow the accumulation order, FMA use and bias placement of onnxruntime's Conv run as a
/// node of its own (MLAS im2col + SGEMM, bias added last).
final class ConvKernel: Kernel {
    let g: ConvGeometry
    let hasBias: Bool
    /// For each kernel column: the output columns whose input column is inside the image.
    let columnRanges: [Range<Int>]
    /// Values of the unfolded input [C*kh*kw, oh*ow] of the matrix-product path; 0 when grouped or
    /// pointwise (the input is read in place).
    let unfoldedCount: Int
    let usesMatrixProduct: Bool
    /// Scratch: the grouped path's partial-sum plane or unfolded column, then the unfolded input.
    let workspaceLayout: ScratchLayout
    let partialOffset: Int, unfoldedOffset: Int
    /// For the single output position of a grouped Conv: each tap's element offset in its group's
    /// input (channel, row, column), or -1 where the tap falls in the padding. Computed once here,
    /// so unfolding the column per group is a gather (the decoder runs this per token).
    let columnTapOffsets: UnsafeMutablePointer<Int>

    init(geometry: ConvGeometry, hasBias: Bool) {
        g = geometry
        self.hasBias = hasBias
        usesMatrixProduct = geometry.groups == 1
        let pointwise = geometry.kernelHeight == 1 && geometry.kernelWidth == 1 && geometry.strideH == 1 && geometry.strideW == 1
            && geometry.padTop == 0 && geometry.padLeft == 0 && geometry.outHeight == geometry.height && geometry.outWidth == geometry.width
        unfoldedCount = usesMatrixProduct && !pointwise
            ? geometry.channels * geometry.kernelHeight * geometry.kernelWidth * geometry.outHeight * geometry.outWidth
            : 0
        // Grouped: one partial-sum plane, or one unfolded column when the output is a single value.
        var layout = ScratchLayout()
        partialOffset = layout.reserve(Float.self, count: Swift.max(geometry.outHeight * geometry.outWidth,
                                                                    geometry.channels / geometry.groups * geometry.kernelHeight * geometry.kernelWidth))
        unfoldedOffset = layout.reserve(Float.self, count: unfoldedCount)
        workspaceLayout = layout
        let taps = geometry.channels / geometry.groups * geometry.kernelHeight * geometry.kernelWidth
        columnTapOffsets = .allocate(capacity: Swift.max(taps, 1))
        let kernelSize = geometry.kernelHeight * geometry.kernelWidth
        for tap in 0..<taps {
            let channel = tap / kernelSize, kh = (tap % kernelSize) / geometry.kernelWidth, kw = tap % geometry.kernelWidth
            let ih = kh * geometry.dilationH - geometry.padTop, iw = kw * geometry.dilationW - geometry.padLeft
            let inside = ih >= 0 && ih < geometry.height && iw >= 0 && iw < geometry.width
            columnTapOffsets[tap] = inside ? channel * geometry.height * geometry.width + ih * geometry.width + iw : -1
        }
        columnRanges = (0..<geometry.kernelWidth).map { kw in
            let shift = kw * geometry.dilationW - geometry.padLeft
            // ow * stride + shift in [0, width)
            var start = 0
            while start < geometry.outWidth && start * geometry.strideW + shift < 0 { start += 1 }
            var end = start
            while end < geometry.outWidth && end * geometry.strideW + shift < geometry.width { end += 1 }
            return start..<end
        }
    }

    deinit {
        columnTapOffsets.deallocate()
    }

    var ownedBytes: Int { Swift.max(g.channels / g.groups * g.kernelHeight * g.kernelWidth, 1) * 8 }
    var workspaceBytes: Int { workspaceLayout.bytes }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let partial = memory.shared.scratch(Float.self, at: partialOffset)
        if usesMatrixProduct {
            runMatrixProduct(inputs, outputs, scratch: partial, unfolded: memory.shared.scratch(Float.self, at: unfoldedOffset))
        } else {
            runGrouped(inputs, outputs, scratch: partial)
        }
    }

    private func runMatrixProduct(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>,
                                  scratch: UnsafeMutablePointer<Float>, unfolded: UnsafeMutablePointer<Float>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let w = inputs[1].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let inPlane = g.height * g.width, outPlane = g.outHeight * g.outWidth
        let depth = g.channels * g.kernelHeight * g.kernelWidth
        for n in 0..<g.batch {
            let image = x + n * g.channels * inPlane
            let columns: UnsafePointer<Float>
            if unfoldedCount > 0 {
                unfold(image, into: unfolded)
                columns = UnsafePointer(unfolded)
            } else {
                columns = image
            }
            let out = y + n * g.outChannels * outPlane
            if g.outChannels > 1 && outPlane == 1 {
                // Several filters, one output value: MLAS multiplies a single output column as a
                // row times a transposed B.
                EightLaneDotProduct.products(columns, rows: w, stride: depth, count: depth, rowCount: g.outChannels, into: out)
            } else {
                MatMulKernel.multiply(w, columns, out, m: g.outChannels, k: depth, n: outPlane, scratch: scratch)
            }
            if hasBias {
                let bias = inputs[2].assumingMemoryBound(to: Float.self)
                for oc in 0..<g.outChannels {
                    let row = out + oc * outPlane, b = bias[oc]
                    for p in 0..<outPlane { row[p] += b }
                }
            }
        }
    }

    /// im2col: row (c, kh, kw) holds, for every output position, the input value it reads (0 in padding).
    private func unfold(_ image: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        let outPlane = g.outHeight * g.outWidth
        var row = 0
        for c in 0..<g.channels {
            let plane = image + c * g.height * g.width
            for kh in 0..<g.kernelHeight {
                for kw in 0..<g.kernelWidth {
                    let target = columns + row * outPlane
                    target.update(repeating: 0, count: outPlane)
                    let shift = kw * g.dilationW - g.padLeft
                    let range = columnRanges[kw]
                    for oh in 0..<g.outHeight {
                        let ih = oh * g.strideH + kh * g.dilationH - g.padTop
                        if ih < 0 || ih >= g.height { continue }
                        let source = plane + ih * g.width, line = target + oh * g.outWidth
                        for ow in range { line[ow] = source[ow * g.strideW + shift] }
                    }
                    row += 1
                }
            }
        }
    }

    private func runGrouped(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>,
                            scratch: UnsafeMutablePointer<Float>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let w = inputs[1].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let bias: UnsafePointer<Float>? = hasBias ? inputs[2].assumingMemoryBound(to: Float.self) : nil
        let inGroup = g.channels / g.groups, outGroup = g.outChannels / g.groups
        let outPlane = g.outHeight * g.outWidth
        let taps = inGroup * g.kernelHeight * g.kernelWidth
        let spansWidth = g.kernelSpansUnpaddedWidth
        for n in 0..<g.batch {
            if spansWidth {
                // One input channel per filter and a kernel as wide as the unpadded input: onnxruntime
                // reads the input in place as a transposed B, one dot product per output row.
                for oc in 0..<g.outChannels {
                    let out = y + (n * g.outChannels + oc) * outPlane
                    EightLaneDotProduct.products(w + oc * taps, rows: x + (n * g.channels + oc / outGroup) * g.height * g.width,
                                                 stride: g.width, count: taps, rowCount: outPlane, into: out)
                    if let bias { for p in 0..<outPlane { out[p] += bias[oc] } }
                }
                continue
            }
            if outGroup > 1 && outPlane == 1 {
                // Several filters, one output value: a product with a single output column.
                for group in 0..<g.groups {
                    unfoldColumn(x + (n * g.channels + group * inGroup) * g.height * g.width, taps: taps, into: scratch)
                    EightLaneDotProduct.products(scratch, rows: w + group * outGroup * taps, stride: taps, count: taps,
                                                 rowCount: outGroup, into: y + n * g.outChannels + group * outGroup)
                }
                if let bias { for oc in 0..<g.outChannels { y[n * g.outChannels + oc] += bias[oc] } }
                continue
            }
            for oc in 0..<g.outChannels {
                let out = y + (n * g.outChannels + oc) * outPlane
                let image = x + (n * g.channels + (oc / outGroup) * inGroup) * g.height * g.width
                let weights = w + oc * taps
                out.update(repeating: 0, count: outPlane)
                if outGroup == 1 {
                    accumulateInBlocks(image, weights, taps: taps, into: out, partial: scratch)
                } else {
                    accumulateFused(image, weights, taps: taps, into: out)
                }
                if let bias {
                    let b = bias[oc]
                    for p in 0..<outPlane { out[p] += b }
                }
            }
        }
    }

    /// The input values of the single output position, tap by tap (0 in padding), into `scratch`.
    private func unfoldColumn(_ image: UnsafePointer<Float>, taps: Int, into scratch: UnsafeMutablePointer<Float>) {
        for tap in 0..<taps {
            let offset = columnTapOffsets[tap]
            scratch[tap] = offset >= 0 ? image[offset] : 0
        }
    }

    /// One filter per group: onnxruntime runs each group as a one-row matrix product over the
    /// unfolded input (taps in (channel, kh, kw) order), and MLAS's one-row SGEMM kernel sums rounded
    /// products (no FMA) four taps at a time, left to right, then adds each partial sum to the
    /// output; a last pair, then a last single tap, the same way.
    private func accumulateInBlocks(_ image: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, taps: Int,
                                    into out: UnsafeMutablePointer<Float>, partial: UnsafeMutablePointer<Float>) {
        let outPlane = g.outHeight * g.outWidth
        var first = 0
        while first < taps {
            let remaining = taps - first
            let count = remaining >= 4 ? 4 : (remaining >= 2 ? 2 : 1)
            partial.update(repeating: 0, count: outPlane)
            for tap in first..<(first + count) {
                addTap(tap, image, weight: weights[tap], into: partial, fused: false)
            }
            for p in 0..<outPlane { out[p] = partial[p] + out[p] }
            first += count
        }
    }

    /// Several filters per group and several outputs: fused multiply-adds in tap order from zero, as
    /// MLAS's SGEMM kernels round while the taps fit in one of its K slices (longer sums not pinned down).
    private func accumulateFused(_ image: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, taps: Int,
                                 into out: UnsafeMutablePointer<Float>) {
        for tap in 0..<taps { addTap(tap, image, weight: weights[tap], into: out, fused: true) }
    }

    /// out[oh, ow] += weight * input at tap (channel, kh, kw) of output (oh, ow); padding adds nothing.
    @inline(__always)
    private func addTap(_ tap: Int, _ image: UnsafePointer<Float>, weight: Float, into out: UnsafeMutablePointer<Float>,
                        fused: Bool) {
        let kernelSize = g.kernelHeight * g.kernelWidth
        let channel = tap / kernelSize, kh = (tap % kernelSize) / g.kernelWidth, kw = tap % g.kernelWidth
        let plane = image + channel * g.height * g.width
        let shift = kw * g.dilationW - g.padLeft
        let range = columnRanges[kw]
        for oh in 0..<g.outHeight {
            let ih = oh * g.strideH + kh * g.dilationH - g.padTop
            if ih < 0 || ih >= g.height { continue }
            let rowIn = plane + ih * g.width, rowOut = out + oh * g.outWidth
            for ow in range {
                let value = rowIn[ow * g.strideW + shift]
                rowOut[ow] = fused ? rowOut[ow].addingProduct(weight, value) : rowOut[ow] + weight * value
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        _ = try context.requireElement(0, [.float32])
        _ = try context.requireElement(1, [.float32])
        let x = try context.input(0).type, w = try context.input(1).type
        guard x.rank == 3 || x.rank == 4, w.rank == x.rank else { throw context.failure("only 1-D and 2-D convolutions are supported") }
        let spatial = x.rank - 2
        let autoPad = context.node.string("auto_pad", default: "NOTSET")
        guard autoPad == "NOTSET" || autoPad == "VALID" else { throw context.failure("auto_pad \(autoPad) is not supported") }
        let groups = context.node.int("group", default: 1)
        let strides = context.node.ints("strides") ?? [Int](repeating: 1, count: spatial)
        let dilations = context.node.ints("dilations") ?? [Int](repeating: 1, count: spatial)
        let pads = autoPad == "VALID" ? [Int](repeating: 0, count: 2 * spatial)
            : (context.node.ints("pads") ?? [Int](repeating: 0, count: 2 * spatial))
        guard strides.count == spatial, dilations.count == spatial, pads.count == 2 * spatial, groups > 0,
              x.shape[1] % groups == 0, w.shape[0] % groups == 0, w.shape[1] * groups == x.shape[1] else {
            throw context.failure("inconsistent attributes for input \(x.shape) and weight \(w.shape)")
        }
        if context.has(2) {
            guard try context.input(2).type.count == w.shape[0] else { throw context.failure("bias size differs from output channels") }
        }
        // View 1-D as 2-D with height 1.
        let height = spatial == 2 ? x.shape[2] : 1, width = x.shape[x.rank - 1]
        let kernelHeight = spatial == 2 ? w.shape[2] : 1, kernelWidth = w.shape[w.rank - 1]
        let strideH = spatial == 2 ? strides[0] : 1, strideW = strides[spatial - 1]
        let dilationH = spatial == 2 ? dilations[0] : 1, dilationW = dilations[spatial - 1]
        let padTop = spatial == 2 ? pads[0] : 0, padBottom = spatial == 2 ? pads[2] : 0
        let padLeft = pads[spatial - 1], padRight = pads[2 * spatial - 1]
        let outHeight = (height + padTop + padBottom - dilationH * (kernelHeight - 1) - 1) / strideH + 1
        let outWidth = (width + padLeft + padRight - dilationW * (kernelWidth - 1) - 1) / strideW + 1
        guard outHeight > 0, outWidth > 0 else { throw context.failure("empty output for input \(x.shape)") }
        let geometry = ConvGeometry(batch: x.shape[0], channels: x.shape[1], height: height, width: width,
                                    outChannels: w.shape[0], outHeight: outHeight, outWidth: outWidth, groups: groups,
                                    kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideH: strideH, strideW: strideW,
                                    dilationH: dilationH, dilationW: dilationW, padTop: padTop, padLeft: padLeft)
        let shape = spatial == 2 ? [x.shape[0], w.shape[0], outHeight, outWidth] : [x.shape[0], w.shape[0], outWidth]
        return .compute(.convolution(geometry, hasBias: context.has(2)), outputs: [TensorType(.float32, shape)])
    }
}
