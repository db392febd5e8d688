/// Kaldi's dither: Gaussian noise added to each frame's samples before any other processing, so no
/// frame is digital silence. The noise of frame `t` is drawn from a generator seeded by `t` alone,
/// so the features do not depend on how the input was split and a stream is reproducible.
struct FrameDither {
    /// Standard deviation of the noise, in sample units.
    let amount: Float

    /// Adds the noise of `frame` to `samples[0..<count]`.
    func apply(frame: Int, to samples: UnsafeMutablePointer<Float>, count: Int) {
        var state = UInt64(truncatingIfNeeded: frame) &* 0x9E37_79B9_7F4A_7C15
        ZigguratNormal.addNoise(amount, to: samples, count: count, state: &state)
    }
}
