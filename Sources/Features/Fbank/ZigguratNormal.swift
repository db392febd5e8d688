import Foundation

/// Standard normal samples by Marsaglia and Tsang's ziggurat (2000): 128 layers of equal area under
/// the density; 97.2 % of samples take one random number, a table lookup and a multiplication, and
/// the rest are exact too (a rejection step on the wedges, Marsaglia's tail method beyond the base).
/// Dither draws one per audio sample, where Box-Muller's logarithm, cosine and sine cost 8 % of a
/// small model's decoding. The layer index and the value come from separate bits of one 64-bit
/// random number (Doornik 2005 showed that sharing them, as the original does, skews the samples).
package enum ZigguratNormal {
    /// Where the base layer's tail begins, and the area of each layer (Marsaglia and Tsang's).
    private static let tailStart = 3.442619855899
    private static let layerArea = 9.91256303526217e-3

    /// Per layer: the bound below which a value is inside the layer's core (`|value bits| < bound`),
    /// the scale from value bits to x, and the density at the layer's edge.
    private struct Layer {
        var bound: UInt32
        var scale: Double
        var density: Double
    }

    private static let layers: [Layer] = {
        let twoTo31 = 2_147_483_648.0
        var layers = [Layer](repeating: Layer(bound: 0, scale: 0, density: 0), count: 128)
        var edge = tailStart
        var previousEdge = edge
        let baseWidth = layerArea / exp(-0.5 * edge * edge)
        layers[0] = Layer(bound: UInt32(edge / baseWidth * twoTo31), scale: baseWidth / twoTo31, density: 1)
        layers[127] = Layer(bound: 0, scale: edge / twoTo31, density: exp(-0.5 * edge * edge))
        for index in stride(from: 126, through: 1, by: -1) {
            edge = (-2 * log(layerArea / edge + exp(-0.5 * edge * edge))).squareRoot()
            layers[index + 1].bound = UInt32(edge / previousEdge * twoTo31)
            previousEdge = edge
            layers[index].density = exp(-0.5 * edge * edge)
            layers[index].scale = edge / twoTo31
        }
        return layers
    }()

    /// Adds `amount` times a standard normal value to each of `samples[0..<count]`, advancing
    /// `state` (SplitMix64).
    package static func addNoise(_ amount: Float, to samples: UnsafeMutablePointer<Float>, count: Int, state: inout UInt64) {
        layers.withUnsafeBufferPointer { layers in
            for i in 0..<count { samples[i] += amount * Float(sample(&state, layers: layers)) }
        }
    }

    @inline(__always)
    private static func sample(_ state: inout UInt64, layers: UnsafeBufferPointer<Layer>) -> Double {
        while true {
            let random = splitMix(&state)
            let index = Int(random & 127)
            let bits = Int32(truncatingIfNeeded: random >> 32)
            let x = Double(bits) * layers[index].scale
            if bits.magnitude < layers[index].bound { return x }
            if index == 0 {
                // The tail beyond the base layer (Marsaglia 1964).
                while true {
                    let tail = -log(uniform(&state)) / tailStart
                    let y = -log(uniform(&state))
                    if y + y >= tail * tail { return bits > 0 ? tailStart + tail : -tailStart - tail }
                }
            }
            // The wedge between the layer's core and the curve: accept under the density.
            let lower = layers[index].density
            let upper = layers[index - 1].density
            if lower + uniform(&state) * (upper - lower) < exp(-0.5 * x * x) { return x }
        }
    }

    /// A uniform value in (0, 1].
    @inline(__always)
    private static func uniform(_ state: inout UInt64) -> Double {
        Double(splitMix(&state) >> 11 + 1) / Double(1 << 53)
    }

    @inline(__always)
    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
