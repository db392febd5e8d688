import Foundation

/// Kaldi's dither: Gaussian noise added to each frame's samples before any other processing, so no
/// frame is digital silence. The noise of frame `t` is drawn from a generator seeded by `t` alone,
/// so the features do not depend on how the input was split and a stream is reproducible.
struct FrameDither {
    /// Standard deviation of the noise, in sample units.
    let amount: Float

    /// Adds the noise of `frame` to `samples[0..<count]`.
    func apply(frame: Int, to samples: UnsafeMutablePointer<Float>, count: Int) {
        var state = UInt64(truncatingIfNeeded: frame) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i < count {
            // Box-Muller: two independent standard normal values from two uniform ones in (0, 1].
            let u1 = Double(Self.next(&state) >> 11 + 1) / Double(1 << 53)
            let u2 = Double(Self.next(&state) >> 11) / Double(1 << 53)
            let radius = (-2 * log(u1)).squareRoot()
            samples[i] += amount * Float(radius * cos(2 * Double.pi * u2))
            if i + 1 < count { samples[i + 1] += amount * Float(radius * sin(2 * Double.pi * u2)) }
            i += 2
        }
    }

    /// SplitMix64.
    private static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
