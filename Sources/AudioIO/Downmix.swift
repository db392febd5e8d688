/// Mixes interleaved multi-channel frames to mono by averaging the channels.
enum Downmix {
    static func average(interleaved: UnsafeBufferPointer<Float>, channels: Int, frames: Int,
                        into mono: UnsafeMutableBufferPointer<Float>) {
        precondition(interleaved.count >= frames * channels && mono.count >= frames)
        if channels == 1 {
            for i in 0..<frames { mono[i] = interleaved[i] }
            return
        }
        let scale = 1 / Float(channels)
        for frame in 0..<frames {
            var sum: Float = 0
            let base = frame * channels
            for channel in 0..<channels { sum += interleaved[base + channel] }
            mono[frame] = sum * scale
        }
    }
}
