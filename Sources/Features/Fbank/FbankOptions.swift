/// Settings of the log-mel filter bank. The defaults are the Kaldi fbank settings sherpa-onnx uses
/// for zipformer2 transducers (kaldi-native-fbank with dither 0, snip_edges false, 80 bins, high_freq -400).
public struct FbankOptions: Equatable, Sendable {
    /// Input sample rate in Hz; samples are floats, nominally in [-1, 1].
    public var sampleRate: Float = 16000
    public var frameLengthMilliseconds: Float = 25
    public var frameShiftMilliseconds: Float = 10
    /// false: frame t is centred on sample `shift * t + shift / 2` and the edges are filled by reflection.
    public var snipEdges: Bool = false
    public var removeDCOffset: Bool = true
    public var preemphasisCoefficient: Float = 0.97
    public var window: WindowKind = .povey
    public var numBins: Int = 80
    /// Lower edge of the first mel triangle, in Hz.
    public var lowFrequency: Float = 20
    /// Upper edge of the last mel triangle in Hz; zero or negative means an offset from the Nyquist frequency.
    public var highFrequency: Float = -400
    /// Power spectrum (true) or magnitude spectrum (false).
    public var usePower: Bool = true
    /// Mel energies below this are raised to it before the natural log (FLT_EPSILON, as Kaldi).
    public var energyFloor: Float = Float.ulpOfOne
    /// Standard deviation of the Gaussian noise added to each frame's samples first (Kaldi's
    /// dither, here in sample units; 0, the default, adds none, as sherpa-onnx). The noise is
    /// pseudo-random from a fixed seed per frame index, so output stays reproducible.
    public var dither: Float = 0

    public enum WindowKind: String, Sendable {
        case povey, hanning, hamming, rectangular
    }

    public init() {}

    /// Samples per frame (400 at 16 kHz, 25 ms).
    public var frameLength: Int { Int((sampleRate * 0.001 * frameLengthMilliseconds).rounded(.towardZero)) }
    /// Samples between frame starts (160 at 16 kHz, 10 ms).
    public var frameShift: Int { Int((sampleRate * 0.001 * frameShiftMilliseconds).rounded(.towardZero)) }
    /// FFT size: the frame length rounded up to a power of two (512 for 400).
    public var fftSize: Int {
        var size = 1
        while size < frameLength { size <<= 1 }
        return max(size, 2)
    }

    /// Nil when the settings describe a valid filter bank, otherwise why they do not.
    public var invalidityReason: String? {
        let nyquist = sampleRate / 2
        let upper = highFrequency > 0 ? highFrequency : nyquist + highFrequency
        if !(sampleRate > 0) { return "sample rate \(sampleRate) is not positive" }
        if frameLength < 2 || frameShift < 1 { return "frame length \(frameLength) / shift \(frameShift) samples is too short" }
        if numBins < 3 { return "numBins \(numBins) is below 3" }
        if !(lowFrequency >= 0 && lowFrequency < nyquist && upper > lowFrequency && upper <= nyquist) {
            return "mel range \(lowFrequency)...\(upper) Hz does not fit below Nyquist \(nyquist) Hz"
        }
        if !(preemphasisCoefficient >= 0 && preemphasisCoefficient <= 1) { return "preemphasis \(preemphasisCoefficient) is outside [0, 1]" }
        if !(energyFloor > 0) { return "energy floor \(energyFloor) is not positive" }
        if !(dither >= 0 && dither.isFinite) { return "dither \(dither) is not a non-negative number" }
        return nil
    }
}
