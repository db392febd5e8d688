import CALSA

/// Converts interleaved device samples to mono `Float` in [-1, 1].
enum SampleConversion {
    static func mono(from raw: UnsafeRawPointer, format: snd_pcm_format_t, frames: Int, channels: Int,
                     into mono: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(channels)
        switch format {
        case SND_PCM_FORMAT_S16_LE:
            let samples = raw.assumingMemoryBound(to: Int16.self)
            for frame in 0..<frames {
                var sum: Float = 0
                for channel in 0..<channels { sum += Float(Int16(littleEndian: samples[frame * channels + channel])) }
                mono[frame] = sum * scale / 32_768
            }
        case SND_PCM_FORMAT_S32_LE:
            let samples = raw.assumingMemoryBound(to: Int32.self)
            for frame in 0..<frames {
                var sum: Float = 0
                for channel in 0..<channels { sum += Float(Int32(littleEndian: samples[frame * channels + channel])) }
                mono[frame] = sum * scale / 2_147_483_648
            }
        default:
            let samples = UnsafeBufferPointer(start: raw.assumingMemoryBound(to: Float.self), count: frames * channels)
            Downmix.average(interleaved: samples, channels: channels, frames: frames,
                            into: UnsafeMutableBufferPointer(start: mono, count: frames))
        }
    }
}
