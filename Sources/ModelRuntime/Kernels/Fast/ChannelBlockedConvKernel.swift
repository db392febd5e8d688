import CKernels

/// Ungrouped 2-D Conv in the rounding order of onnxruntime's NCHWc convolution (MLAS, 8-channel
/// blocks with AVX2, 16 with AVX512F), which its optimized graph uses for 2-D convolutions.
///
/// Input channels are taken in blocks: within a block, each output sums with one FMA chain from
/// zero over (kh, kw, channel); block sums are added to the output one after another, and the bias
/// is added last. Taps that fall in the padding are skipped. MLAS's block is 8 (or 16) channels,
/// 128 for 1x1 convolutions (its pointwise path) and 1 when there are fewer channels than a block
/// (its path for NCHW input). A last partial group of output channels runs on zero weights, as MLAS pads them.
///
/// Speed comes from register blocking, which leaves each output's order untouched: six output
/// positions times 16 output channels (12 independent FMA chains; 32 channels in 16-lane registers
/// where the CPU has AVX512F) per inner loop, one broadcast per
/// position and channel, weights packed at load in the order the loop reads them. The input is read
/// in place (NCHW): the six positions of a tile usually share cache lines in each channel plane,
/// which measured faster than copying the image channel-last first. Positions whose taps reach into
/// the padding columns run one at a time with those taps skipped.
final class ChannelBlockedConvKernel: Kernel {
    /// Output positions per register tile.
    static let tileWidth = 6

    let g: ConvGeometry
    let hasBias: Bool
    let channelBlock: Int
    /// Output channels rounded up to a multiple of 8.
    let paddedOutChannels: Int
    /// Weights in groups of 16 output channels (8 for a last odd block), each group
    /// [kh][kw][channel][16 or 8], starting at element `group start * kernel size * channels`.
    let packed: UnsafeMutablePointer<Float>
    /// Bias padded to `paddedOutChannels`.
    let paddedBias: UnsafeMutablePointer<Float>
    /// Per output position (oh * outWidth + ow) whose columns are all inside: the element offset in an
    /// input channel plane of its first tap inside the image, row oh * strideH - padTop + firstRow *
    /// dilationH, column ow * strideW - padLeft.
    let origins: UnsafeMutablePointer<Int>
    /// Register tiles: `tileWidth` output positions each (in `tilePositions`) sharing the kernel
    /// rows `firstRow..<endRow` inside the image. A last tile may overlap the one before it: the
    /// positions it computes again get the same bits.
    let tilePositions: UnsafeMutablePointer<Int>
    let tileRows: [(firstRow: Int, endRow: Int)]
    /// Output positions computed one at a time, with padding taps skipped.
    let singlePositions: [Int]
    /// An activation applied to each group of output planes as soon as the group is complete, while
    /// it is still in cache (`ConvActivationFusion`); nil for a plain convolution.
    let activation: SwooshKernel?

    /// Whether the convolution is one onnxruntime runs in NCHWc with blocks of `block` channels (8
    /// with AVX2, 16 with AVX512F): ungrouped, with fewer than `block` or a multiple of `block` input channels.
    static func supports(_ geometry: ConvGeometry, block: Int) -> Bool {
        geometry.groups == 1 && geometry.channels > 0 && (geometry.channels < block || geometry.channels % block == 0)
    }

    /// nil unless `supports(geometry, block:)`. `weights` and `bias` are the step's constants, packed here once.
    init?(geometry: ConvGeometry, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, block: Int,
          activation: SwooshKernel? = nil) {
        guard Self.supports(geometry, block: block) else { return nil }
        g = geometry
        hasBias = bias != nil
        self.activation = activation
        let pointwise = geometry.kernelHeight == 1 && geometry.kernelWidth == 1 && geometry.padTop == 0 && geometry.padLeft == 0
            && geometry.outHeight == (geometry.height - 1) / geometry.strideH + 1
            && geometry.outWidth == (geometry.width - 1) / geometry.strideW + 1
        channelBlock = geometry.channels < block ? 1 : (pointwise ? 128 : block)
        paddedOutChannels = (geometry.outChannels + 7) / 8 * 8
        let count = geometry.kernelHeight * geometry.kernelWidth * geometry.channels * paddedOutChannels
        packed = .allocate(capacity: count)
        packed.initialize(repeating: 0, count: count)
        paddedBias = .allocate(capacity: paddedOutChannels)
        paddedBias.initialize(repeating: 0, count: paddedOutChannels)

        // Sort the output positions into tiles (runs of inside positions sharing their kernel rows)
        // and single positions.
        let outPlane = geometry.outHeight * geometry.outWidth
        origins = .allocate(capacity: Swift.max(outPlane, 1))
        origins.initialize(repeating: 0, count: Swift.max(outPlane, 1))
        var tiles: [Int] = [], rows: [(Int, Int)] = [], singles: [Int] = []
        var run: [Int] = [], runRows = (0, 0)
        func closeRun() {
            var start = 0
            while start < run.count {
                if run.count - start >= Self.tileWidth {
                    tiles += run[start..<(start + Self.tileWidth)]
                    rows.append(runRows)
                    start += Self.tileWidth
                } else if run.count >= Self.tileWidth {
                    tiles += run[(run.count - Self.tileWidth)...]
                    rows.append(runRows)
                    start = run.count
                } else {
                    singles += run[start...]
                    start = run.count
                }
            }
            run = []
        }
        for oh in 0..<geometry.outHeight {
            let top = oh * geometry.strideH - geometry.padTop
            var firstRow = 0
            while firstRow < geometry.kernelHeight && top + firstRow * geometry.dilationH < 0 { firstRow += 1 }
            var endRow = firstRow
            while endRow < geometry.kernelHeight && top + endRow * geometry.dilationH < geometry.height { endRow += 1 }
            for ow in 0..<geometry.outWidth {
                let position = oh * geometry.outWidth + ow
                let left = ow * geometry.strideW - geometry.padLeft
                guard left >= 0, left + (geometry.kernelWidth - 1) * geometry.dilationW < geometry.width else {
                    singles.append(position)
                    continue
                }
                origins[position] = (top + firstRow * geometry.dilationH) * geometry.width + left
                if !run.isEmpty && runRows != (firstRow, endRow) { closeRun() }
                runRows = (firstRow, endRow)
                run.append(position)
            }
        }
        closeRun()
        tilePositions = .allocate(capacity: Swift.max(tiles.count, 1))
        tilePositions.initialize(from: tiles, count: tiles.count)
        tileRows = rows
        singlePositions = singles
        pack(weights, bias)
    }

    deinit {
        packed.deallocate()
        paddedBias.deallocate()
        origins.deallocate()
        tilePositions.deallocate()
    }

    var ownedBytes: Int {
        (g.kernelHeight * g.kernelWidth * g.channels + 1) * paddedOutChannels * 4
            + (g.outHeight * g.outWidth + tileRows.count * Self.tileWidth) * 8
    }

    /// Running block sums of one tile: 6 positions x 2 registers, for each of two groups when they are paired.
    var workspaceBytes: Int { (Self.pairsGroups ? 4 : 2) * Self.tileWidth * MemoryLayout<SIMD8<Float>>.stride }

    /// Whether two groups of 16 output channels run as one tile of 16-lane registers.
    static var pairsGroups: Bool { KernelSet.hasAVX512F }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let tileSums = memory.shared.scratch(SIMD8<Float>.self, at: 0)
        let inPlane = g.height * g.width, outPlane = g.outHeight * g.outWidth
        let kernelSize = g.kernelHeight * g.kernelWidth
        for n in 0..<g.batch {
            let image = x + n * g.channels * inPlane
            let out = y + n * g.outChannels * outPlane
            var group = 0
            while group < paddedOutChannels {
                // Channels this pass computes: two groups of 16 at once with AVX512F, else one of 16 or 8.
                let span = Self.pairsGroups && group + 32 <= paddedOutChannels ? 32 : (group + 16 <= paddedOutChannels ? 16 : 8)
                let weights = UnsafePointer(packed + group * kernelSize * g.channels)
                for (tile, rows) in tileRows.enumerated() {
                    let positions = UnsafePointer(tilePositions + tile * Self.tileWidth)
                    if span == 32 {
                        pairInC(positions, rows: rows, weights: weights, next: weights + 16 * kernelSize * g.channels,
                                image: image, sums: tileSums)
                        storeTile(positions, group: group, registers: 2, sums: tileSums, into: out)
                        storeTile(positions, group: group + 16, registers: 2, sums: tileSums + 2 * Self.tileWidth, into: out)
                        continue
                    }
                    if KernelSet.active == .avx2 {
                        tileInC(positions, rows: rows, weights: weights, width: Int32(span), image: image, sums: tileSums)
                    } else if span == 16 {
                        sixBySixteen(positions, rows: rows, weights: weights, image: image, sums: tileSums)
                    } else {
                        sixByEight(positions, rows: rows, weights: weights, image: image, sums: tileSums)
                    }
                    storeTile(positions, group: group, registers: span / 8, sums: tileSums, into: out)
                }
                for position in singlePositions {
                    for half in 0..<(span / 8) {
                        // Weights of group `half / 2`, its columns 8 * (half % 2)...
                        let groupWeights = weights + half / 2 * 16 * kernelSize * g.channels + half % 2 * 8
                        var sum = onePosition(position, weights: groupWeights, groupWidth: span == 8 ? 8 : 16, image: image)
                        let oc = group + half * 8
                        if hasBias { sum = sum + UnsafeRawPointer(paddedBias + oc).loadUnaligned(as: SIMD8<Float>.self) }
                        let target = out + oc * outPlane + position
                        for lane in 0..<Swift.min(8, g.outChannels - oc) { target[lane * outPlane] = sum[lane] }
                    }
                }
                if let activation {
                    // The groups' planes are contiguous in NCHW and complete only now: overlapping
                    // tiles write some positions twice.
                    let planes = out + group * outPlane
                    activation.apply(planes, to: planes, count: Swift.min(span, g.outChannels - group) * outPlane)
                }
                group += span
            }
        }
    }

    private func pack(_ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?) {
        let kernelSize = g.kernelHeight * g.kernelWidth
        for oc in 0..<g.outChannels {
            let group = oc / 16 * 16
            let width = group + 16 <= paddedOutChannels ? 16 : 8
            let base = packed + group * kernelSize * g.channels
            for c in 0..<g.channels {
                for tap in 0..<kernelSize {
                    base[(tap * g.channels + c) * width + oc - group] = w[(oc * g.channels + c) * kernelSize + tap]
                }
            }
        }
        if let bias { paddedBias.update(from: bias, count: g.outChannels) }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Adds the bias to a tile's sums and writes them to the NCHW output: one plane (output channel)
    /// at a time, copying floats from `tileSums` (cheaper than extracting lanes from registers).
    @inline(__always)
    private func storeTile(_ positions: UnsafePointer<Int>, group: Int, registers: Int, sums tileSums: UnsafeMutablePointer<SIMD8<Float>>,
                           into out: UnsafeMutablePointer<Float>) {
        let outPlane = g.outHeight * g.outWidth
        let q0 = positions[0], q1 = positions[1], q2 = positions[2], q3 = positions[3], q4 = positions[4], q5 = positions[5]
        let sums = UnsafeRawPointer(tileSums).assumingMemoryBound(to: Float.self)
        for half in 0..<registers {
            let oc = group + half * 8
            if hasBias {
                let bias = Self.load(paddedBias + oc)
                for j in 0..<Self.tileWidth { tileSums[j &* 2 &+ half] = tileSums[j &* 2 &+ half] + bias }
            }
            var plane = out + oc * outPlane
            var lane = sums + half * 8
            for _ in 0..<Swift.min(8, g.outChannels - oc) {
                plane[q0] = lane[0]; plane[q1] = lane[16]; plane[q2] = lane[32]
                plane[q3] = lane[48]; plane[q4] = lane[64]; plane[q5] = lane[80]
                plane += outPlane
                lane += 1
            }
        }
    }

    /// `sixBySixteen` (width 16) or `sixByEight` (width 8) in C: the same sums into `tileSums`.
    private func tileInC(_ positions: UnsafePointer<Int>, rows: (firstRow: Int, endRow: Int), weights: UnsafePointer<Float>,
                         width: Int32, image: UnsafePointer<Float>, sums tileSums: UnsafeMutablePointer<SIMD8<Float>>) {
        #if arch(x86_64)
        withTileInputs(positions, image: image) {
            asr_avx2_conv_tile(width, $0, rows.firstRow, rows.endRow, g.kernelWidth, g.dilationH * g.width, g.dilationW,
                               g.height * g.width, g.channels, channelBlock, weights,
                               UnsafeMutableRawPointer(tileSums).assumingMemoryBound(to: Float.self))
        }
        #endif
    }

    /// Two groups of 16 output channels in C with AVX512F: each group's sums into `tileSums` as
    /// `tileInC` would leave them, the second group's after the first's.
    private func pairInC(_ positions: UnsafePointer<Int>, rows: (firstRow: Int, endRow: Int), weights: UnsafePointer<Float>,
                         next: UnsafePointer<Float>, image: UnsafePointer<Float>, sums tileSums: UnsafeMutablePointer<SIMD8<Float>>) {
        #if arch(x86_64)
        withTileInputs(positions, image: image) {
            asr_avx512_conv_tile_pair($0, rows.firstRow, rows.endRow, g.kernelWidth, g.dilationH * g.width, g.dilationW,
                                      g.height * g.width, g.channels, channelBlock, weights, next,
                                      UnsafeMutableRawPointer(tileSums).assumingMemoryBound(to: Float.self))
        }
        #endif
    }

    /// The first input element of each of a tile's six positions, as the C tiles take them.
    @inline(__always)
    private func withTileInputs(_ positions: UnsafePointer<Int>, image: UnsafePointer<Float>,
                                _ body: (UnsafePointer<UnsafePointer<Float>?>) -> Void) {
        let inputs: (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafePointer<Float>?,
                     UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafePointer<Float>?)
            = (image + origins[positions[0]], image + origins[positions[1]], image + origins[positions[2]],
               image + origins[positions[3]], image + origins[positions[4]], image + origins[positions[5]])
        withUnsafePointer(to: inputs) { $0.withMemoryRebound(to: UnsafePointer<Float>?.self, capacity: 6, body) }
    }

    /// Six positions x 16 output channels: the block sums into `tileSums`.
    private func sixBySixteen(_ positions: UnsafePointer<Int>, rows: (firstRow: Int, endRow: Int), weights: UnsafePointer<Float>,
                              image: UnsafePointer<Float>, sums: UnsafeMutablePointer<SIMD8<Float>>) {
        let channels = g.channels, block = channelBlock, kernelWidth = g.kernelWidth
        let rowStep = g.dilationH * g.width, columnStep = g.dilationW, cs = g.height * g.width
        let i0 = image + origins[positions[0]], i1 = image + origins[positions[1]], i2 = image + origins[positions[2]]
        let i3 = image + origins[positions[3]], i4 = image + origins[positions[4]], i5 = image + origins[positions[5]]
        var start = 0
        while start < channels {
            let count = Swift.min(channels - start, block)
            var a00 = SIMD8<Float>(), a01 = SIMD8<Float>(), a10 = SIMD8<Float>(), a11 = SIMD8<Float>()
            var a20 = SIMD8<Float>(), a21 = SIMD8<Float>(), a30 = SIMD8<Float>(), a31 = SIMD8<Float>()
            var a40 = SIMD8<Float>(), a41 = SIMD8<Float>(), a50 = SIMD8<Float>(), a51 = SIMD8<Float>()
            for kh in rows.firstRow..<rows.endRow {
                for kw in 0..<kernelWidth {
                    let offset = (kh - rows.firstRow) * rowStep + kw * columnStep + start * cs
                    let p0 = i0 + offset, p1 = i1 + offset, p2 = i2 + offset, p3 = i3 + offset, p4 = i4 + offset, p5 = i5 + offset
                    var w = weights + ((kh * kernelWidth + kw) * channels + start) * 16
                    for c in 0..<count {
                        let w0 = Self.load(w), w1 = Self.load(w + 8)
                        let x0 = SIMD8(repeating: p0[c * cs])
                        a00 = a00.addingProduct(x0, w0); a01 = a01.addingProduct(x0, w1)
                        let x1 = SIMD8(repeating: p1[c * cs])
                        a10 = a10.addingProduct(x1, w0); a11 = a11.addingProduct(x1, w1)
                        let x2 = SIMD8(repeating: p2[c * cs])
                        a20 = a20.addingProduct(x2, w0); a21 = a21.addingProduct(x2, w1)
                        let x3 = SIMD8(repeating: p3[c * cs])
                        a30 = a30.addingProduct(x3, w0); a31 = a31.addingProduct(x3, w1)
                        let x4 = SIMD8(repeating: p4[c * cs])
                        a40 = a40.addingProduct(x4, w0); a41 = a41.addingProduct(x4, w1)
                        let x5 = SIMD8(repeating: p5[c * cs])
                        a50 = a50.addingProduct(x5, w0); a51 = a51.addingProduct(x5, w1)
                        w += 16
                    }
                }
            }
            if start == 0 {
                sums[0] = a00; sums[1] = a01; sums[2] = a10; sums[3] = a11; sums[4] = a20; sums[5] = a21
                sums[6] = a30; sums[7] = a31; sums[8] = a40; sums[9] = a41; sums[10] = a50; sums[11] = a51
            } else {
                sums[0] = sums[0] + a00; sums[1] = sums[1] + a01; sums[2] = sums[2] + a10; sums[3] = sums[3] + a11
                sums[4] = sums[4] + a20; sums[5] = sums[5] + a21; sums[6] = sums[6] + a30; sums[7] = sums[7] + a31
                sums[8] = sums[8] + a40; sums[9] = sums[9] + a41; sums[10] = sums[10] + a50; sums[11] = sums[11] + a51
            }
            start += count
        }
    }

    /// Six positions x 8 output channels (a last odd block of output channels): the block sums
    /// into `tileSums` (registers 0, 2, 4...).
    private func sixByEight(_ positions: UnsafePointer<Int>, rows: (firstRow: Int, endRow: Int), weights: UnsafePointer<Float>,
                              image: UnsafePointer<Float>, sums: UnsafeMutablePointer<SIMD8<Float>>) {
        let channels = g.channels, block = channelBlock, kernelWidth = g.kernelWidth
        let rowStep = g.dilationH * g.width, columnStep = g.dilationW, cs = g.height * g.width
        let i0 = image + origins[positions[0]], i1 = image + origins[positions[1]], i2 = image + origins[positions[2]]
        let i3 = image + origins[positions[3]], i4 = image + origins[positions[4]], i5 = image + origins[positions[5]]
        var start = 0
        while start < channels {
            let count = Swift.min(channels - start, block)
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
            var a3 = SIMD8<Float>(), a4 = SIMD8<Float>(), a5 = SIMD8<Float>()
            for kh in rows.firstRow..<rows.endRow {
                for kw in 0..<kernelWidth {
                    let offset = (kh - rows.firstRow) * rowStep + kw * columnStep + start * cs
                    let p0 = i0 + offset, p1 = i1 + offset, p2 = i2 + offset, p3 = i3 + offset, p4 = i4 + offset, p5 = i5 + offset
                    var w = weights + ((kh * kernelWidth + kw) * channels + start) * 8
                    for c in 0..<count {
                        let w0 = Self.load(w)
                        a0 = a0.addingProduct(SIMD8(repeating: p0[c * cs]), w0)
                        a1 = a1.addingProduct(SIMD8(repeating: p1[c * cs]), w0)
                        a2 = a2.addingProduct(SIMD8(repeating: p2[c * cs]), w0)
                        a3 = a3.addingProduct(SIMD8(repeating: p3[c * cs]), w0)
                        a4 = a4.addingProduct(SIMD8(repeating: p4[c * cs]), w0)
                        a5 = a5.addingProduct(SIMD8(repeating: p5[c * cs]), w0)
                        w += 8
                    }
                }
            }
            if start == 0 {
                sums[0] = a0; sums[2] = a1; sums[4] = a2; sums[6] = a3; sums[8] = a4; sums[10] = a5
            } else {
                sums[0] = sums[0] + a0; sums[2] = sums[2] + a1; sums[4] = sums[4] + a2
                sums[6] = sums[6] + a3; sums[8] = sums[8] + a4; sums[10] = sums[10] + a5
            }
            start += count
        }
    }

    /// One output position and 8 output channels (weights of a group `groupWidth` wide), any
    /// padding: taps outside the image are skipped. Without the bias.
    private func onePosition(_ position: Int, weights: UnsafePointer<Float>, groupWidth: Int, image: UnsafePointer<Float>) -> SIMD8<Float> {
        let oh = position / g.outWidth, ow = position % g.outWidth
        let top = oh * g.strideH - g.padTop, left = ow * g.strideW - g.padLeft
        let cs = g.height * g.width
        var sum = SIMD8<Float>()
        #if arch(x86_64)
        if KernelSet.active == .avx2 {
            withUnsafeMutableBytes(of: &sum) {
                asr_avx2_conv_position(image, top, left, g.height, g.width, g.kernelHeight, g.kernelWidth, g.dilationH, g.dilationW,
                                       g.channels, channelBlock, weights, groupWidth, $0.baseAddress!.assumingMemoryBound(to: Float.self))
            }
            return sum
        }
        #endif
        var start = 0
        while start < g.channels {
            let end = Swift.min(g.channels, start + channelBlock)
            var acc = SIMD8<Float>()
            for kh in 0..<g.kernelHeight {
                let ih = top + kh * g.dilationH
                guard ih >= 0, ih < g.height else { continue }
                for kw in 0..<g.kernelWidth {
                    let iw = left + kw * g.dilationW
                    guard iw >= 0, iw < g.width else { continue }
                    let pixel = image + ih * g.width + iw
                    let tapWeights = weights + (kh * g.kernelWidth + kw) * g.channels * groupWidth
                    for c in start..<end {
                        acc = acc.addingProduct(SIMD8(repeating: pixel[c * cs]), Self.load(tapWeights + c * groupWidth))
                    }
                }
            }
            sum = start == 0 ? acc : sum + acc
            start = end
        }
        return sum
    }
}
