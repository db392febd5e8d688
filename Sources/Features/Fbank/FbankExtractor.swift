import Foundation

/// Streaming Kaldi-compatible log-mel filter bank.
///
/// Feed samples in pieces of any size with `accept`; each frame is computed as soon as all of its
/// samples have arrived, and `inputFinished()` adds the tail frames (completed by reflecting the
/// signal at its end, as kaldi-native-fbank's `OnlineFbank` does with snip_edges=false). The frames
/// do not depend on how the input was split. Frame indices are absolute from the start of the stream.
///
/// Bad input: NaN and infinite samples are replaced by 0 and finite samples are clamped to ±32768
/// before framing (see `SampleSanitizer`); without dither, silent frames give log(FLT_EPSILON) ≈
/// -15.9424 in every bin. Every output value is therefore finite. Samples passed after `inputFinished()` are ignored.
public final class FbankExtractor {
    public let options: FbankOptions
    /// Absolute count of frames computed so far.
    public private(set) var framesReady = 0
    /// Index of the oldest frame still stored (frames before it were discarded).
    public private(set) var firstStoredFrame = 0
    public private(set) var isInputFinished = false

    private let layout: FrameLayout
    private let window: FrameWindow
    private let dither: FrameDither?
    private let melBank: MelFilterBank
    private let fft: RealFFT
    private let numBins: Int
    /// Samples from absolute index `sampleOffset` on: what the next frames still need.
    private var samples: CompactingFloatBuffer
    private var sampleOffset = 0
    /// Row-major frames from `firstStoredFrame` on.
    private var frames: CompactingFloatBuffer
    private let frameScratch: UnsafeMutablePointer<Float>
    private let fftInput: UnsafeMutablePointer<Float>
    private let spectrum: UnsafeMutablePointer<Float>

    public init(options: FbankOptions = FbankOptions()) {
        if let reason = options.invalidityReason { preconditionFailure("FbankOptions: \(reason)") }
        self.options = options
        layout = FrameLayout(length: options.frameLength, shift: options.frameShift, snipEdges: options.snipEdges)
        window = FrameWindow(options: options)
        dither = options.dither > 0 ? FrameDither(amount: options.dither) : nil
        melBank = MelFilterBank(options: options)
        fft = RealFFT(count: options.fftSize)
        numBins = options.numBins
        samples = CompactingFloatBuffer(capacity: 4 * options.frameLength)
        frames = CompactingFloatBuffer(capacity: 64 * options.numBins)
        let paddedLength = (options.frameLength + 7) / 8 * 8
        frameScratch = .allocate(capacity: paddedLength)
        frameScratch.initialize(repeating: 0, count: paddedLength)
        let fftLength = max(options.fftSize, paddedLength)
        fftInput = .allocate(capacity: fftLength)
        fftInput.initialize(repeating: 0, count: fftLength)
        spectrum = .allocate(capacity: options.fftSize / 2 + 9)
        spectrum.initialize(repeating: 0, count: options.fftSize / 2 + 9)
    }

    deinit {
        samples.release()
        frames.release()
        frameScratch.deallocate()
        fftInput.deallocate()
        spectrum.deallocate()
    }

    /// Appends samples (any count, including 0) and computes every frame they complete.
    public func accept(_ newSamples: UnsafeBufferPointer<Float>) {
        guard !isInputFinished, !newSamples.isEmpty else { return }
        let tail = samples.reserveTail(newSamples.count)
        SampleSanitizer.copySanitized(newSamples, to: tail)
        samples.commit(newSamples.count)
        computeReadyFrames()
    }

    public func accept(_ newSamples: [Float]) {
        newSamples.withUnsafeBufferPointer { accept($0) }
    }

    /// Marks the end of the stream and computes the remaining frames.
    public func inputFinished() {
        guard !isInputFinished else { return }
        isInputFinished = true
        computeReadyFrames()
    }

    /// Copies frames [start, start + count) (absolute indices) row-major into `destination`.
    /// The frames must be ready and not discarded, and `destination` must hold count * numBins floats.
    public func copyFrames(from start: Int, count: Int, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(start >= firstStoredFrame && count >= 0 && start + count <= framesReady,
                     "frames \(start)..<\(start + count) not stored (have \(firstStoredFrame)..<\(framesReady))")
        precondition(destination.count >= count * numBins, "destination holds \(destination.count) floats, needs \(count * numBins)")
        guard count > 0, let target = destination.baseAddress else { return }
        target.update(from: frames.storage + (start - firstStoredFrame) * numBins, count: count * numBins)
    }

    /// Frames [start, start + count) as one row-major array (a convenience over `copyFrames`).
    public func frames(from start: Int, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count * numBins) { buffer, initialized in
            copyFrames(from: start, count: count, into: buffer)
            initialized = count * numBins
        }
    }

    /// Drops stored frames before `index` so memory stays flat on long streams; indices stay absolute.
    public func discardFrames(before index: Int) {
        let target = min(index, framesReady)
        guard target > firstStoredFrame else { return }
        frames.removeFirst((target - firstStoredFrame) * numBins)
        firstStoredFrame = target
    }

    private func computeReadyFrames() {
        let total = sampleOffset + samples.count
        let target = layout.frameCount(sampleCount: total, inputFinished: isInputFinished)
        if target > framesReady {
            let rows = frames.reserveTail((target - framesReady) * numBins)
            for frame in framesReady..<target {
                computeFrame(frame, into: rows + (frame - framesReady) * numBins)
            }
            frames.commit((target - framesReady) * numBins)
            framesReady = target
        }
        // Keep only what the next frame needs.
        let firstNeeded = layout.firstSample(ofFrame: framesReady)
        let discard = min(firstNeeded - sampleOffset, samples.count)
        if discard > 0 {
            samples.removeFirst(discard)
            sampleOffset += discard
        }
    }

    private func computeFrame(_ frame: Int, into row: UnsafeMutablePointer<Float>) {
        let length = layout.length
        let start = layout.firstSample(ofFrame: frame) - sampleOffset
        let available = samples.count
        let source: UnsafePointer<Float>
        if start >= 0 && start + length <= available {
            if let dither {
                frameScratch.update(from: samples.storage + start, count: length)
                dither.apply(frame: frame, to: frameScratch, count: length)
                source = UnsafePointer(frameScratch)
            } else {
                source = UnsafePointer(samples.storage + start)
            }
        } else {
            // Edge frame: reflect about the ends of the buffered signal, -1 -> 0, count -> count - 1.
            for s in 0..<length {
                var index = start + s
                while available > 0 && (index < 0 || index >= available) {
                    index = index < 0 ? -index - 1 : 2 * available - 1 - index
                }
                frameScratch[s] = available > 0 ? samples.storage[index] : 0
            }
            dither?.apply(frame: frame, to: frameScratch, count: length)
            source = UnsafePointer(frameScratch)
        }
        window.process(source, into: fftInput)
        fft.powerSpectrum(of: UnsafeBufferPointer(start: fftInput, count: fft.count),
                          into: UnsafeMutableBufferPointer(start: spectrum, count: fft.count / 2 + 1))
        if !options.usePower {
            for k in 0...(fft.count / 2) { spectrum[k] = spectrum[k].squareRoot() }
        }
        melBank.apply(to: spectrum, into: row)
        let floor = options.energyFloor
        for bin in 0..<numBins { row[bin] = logf(max(row[bin], floor)) }
    }
}
