import CALSA
import Foundation
import Synchronization

/// Live capture from an ALSA PCM device.
///
/// A capture thread reads periods from the device, converts them to mono `Float` at the device rate
/// and pushes them into a lock-free ring; `read` (on the recognition thread) drains the ring and
/// resamples to `targetSampleRate`. A slow consumer therefore never stalls the device read; if the
/// ring itself fills, the capture thread waits and the device overruns, which is recovered and counted.
public final class Microphone: @unchecked Sendable {
    public let device: String
    public let sampleRate: Int
    public let channelCount: Int
    /// The negotiated sample format, e.g. "S16_LE".
    public let formatName: String
    public let targetSampleRate: Int

    private var pcm: OpaquePointer?
    private let sampleFormat: snd_pcm_format_t
    private let periodFrames: Int
    private let ring: SampleRingBuffer
    private let resampler: Resampler?
    private let dataReady = DispatchSemaphore(value: 0)
    private let spaceReady = DispatchSemaphore(value: 0)
    private let stopRequested = Atomic<Bool>(false)
    private let captureEnded = Atomic<Bool>(false)
    private let overruns = Atomic<Int>(0)
    private let failureLock = NSLock()
    private var failure: MicrophoneError?
    private var thread: Thread?
    private var drainBuffer: [Float]
    private var flushed = false

    /// Number of overruns (xruns) recovered so far.
    public var overrunCount: Int { overruns.load(ordering: .relaxed) }

    /// Opens `device` and negotiates 16-bit or float samples, the channel count and the rate
    /// closest to `targetSampleRate` that the device offers.
    public init(device: String = "default", targetSampleRate: Int = 16_000) throws {
        asr_alsa_silence_errors()
        self.device = device
        self.targetSampleRate = targetSampleRate
        var handle: OpaquePointer?
        let openStatus = snd_pcm_open(&handle, device, SND_PCM_STREAM_CAPTURE, 0)
        guard openStatus >= 0, let handle else {
            if openStatus == -EBUSY { throw MicrophoneError(device: device, cause: .busy) }
            throw MicrophoneError(device: device, cause: .noSuchDevice(String(cString: snd_strerror(openStatus))))
        }
        var configured = false
        defer { if !configured { snd_pcm_close(handle) } }

        var params: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&params) >= 0, let params else {
            throw MicrophoneError(device: device, cause: .configuration("out of memory"))
        }
        defer { snd_pcm_hw_params_free(params) }
        func check(_ status: Int32, _ what: String) throws {
            if status < 0 {
                throw MicrophoneError(device: device, cause: .configuration("\(what): \(String(cString: snd_strerror(status)))"))
            }
        }
        try check(snd_pcm_hw_params_any(handle, params), "no configuration")
        try check(snd_pcm_hw_params_set_access(handle, params, SND_PCM_ACCESS_RW_INTERLEAVED), "interleaved access")

        let candidates: [(snd_pcm_format_t, String)] = [
            (SND_PCM_FORMAT_S16_LE, "S16_LE"), (SND_PCM_FORMAT_FLOAT_LE, "FLOAT_LE"), (SND_PCM_FORMAT_S32_LE, "S32_LE"),
        ]
        guard let chosen = candidates.first(where: { snd_pcm_hw_params_test_format(handle, params, $0.0) == 0 }) else {
            throw MicrophoneError(device: device, cause: .noUsableFormat("none of S16_LE, FLOAT_LE, S32_LE"))
        }
        try check(snd_pcm_hw_params_set_format(handle, params, chosen.0), "format \(chosen.1)")

        var channels: UInt32 = 1
        try check(snd_pcm_hw_params_set_channels_near(handle, params, &channels), "channels")
        var rate = UInt32(targetSampleRate)
        var direction: Int32 = 0
        try check(snd_pcm_hw_params_set_rate_near(handle, params, &rate, &direction), "rate")
        guard AudioFileReader.supportedSampleRates.contains(Int(rate)) else {
            throw MicrophoneError(device: device, cause: .noUsableFormat("rate \(rate) Hz"))
        }
        // 20 ms periods keep latency low; a 500 ms device buffer rides out scheduling hiccups.
        var period = snd_pcm_uframes_t(rate / 50)
        try check(snd_pcm_hw_params_set_period_size_near(handle, params, &period, &direction), "period size")
        var bufferSize = snd_pcm_uframes_t(rate / 2)
        try check(snd_pcm_hw_params_set_buffer_size_near(handle, params, &bufferSize), "buffer size")
        try check(snd_pcm_hw_params(handle, params), "apply parameters")

        pcm = handle
        sampleFormat = chosen.0
        formatName = chosen.1
        channelCount = Int(channels)
        sampleRate = Int(rate)
        periodFrames = max(1, Int(period))
        ring = SampleRingBuffer(capacity: Int(rate) * 10)
        resampler = sampleRate == targetSampleRate ? nil : Resampler(inputRate: sampleRate, outputRate: targetSampleRate)
        drainBuffer = [Float](repeating: 0, count: Int(rate))
        configured = true
    }

    deinit {
        stop()
        if let pcm { snd_pcm_close(pcm) }
    }

    /// Starts the capture thread; it ends by itself after `maximumFrames` device frames if given.
    public func start(maximumFrames: Int? = nil) {
        guard thread == nil else { return }
        let worker = Thread { [self] in captureLoop(limit: maximumFrames ?? Int.max) }
        worker.name = "asr-capture"
        worker.qualityOfService = .userInteractive
        thread = worker
        worker.start()
    }

    /// Asks the capture thread to finish; samples already captured stay readable.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        spaceReady.signal()
    }

    /// Waits up to `timeout` seconds for audio and returns what is there, mono at the target rate,
    /// with the arrival time (monotonic nanoseconds) of its newest sample. Returns nil once capture
    /// has ended and everything was delivered; throws the capture error if capture failed.
    public func read(timeout: Double = 0.1) throws -> (samples: [Float], arrival: UInt64)? {
        if ring.available == 0 {
            if captureEnded.load(ordering: .acquiring) && ring.available == 0 {
                if let failure = currentFailure() { throw failure }
                // The resampler still holds the last few milliseconds: hand them out once.
                if let resampler, !flushed {
                    flushed = true
                    return (resampler.flush(), 0)
                }
                return nil
            }
            _ = dataReady.wait(timeout: .now() + timeout)
        }
        let (count, arrival) = drainBuffer.withUnsafeMutableBufferPointer { ring.read(into: $0) }
        spaceReady.signal()
        let samples = Array(drainBuffer[0..<count])
        return (resampler?.process(samples) ?? samples, arrival)
    }

    private func currentFailure() -> MicrophoneError? {
        failureLock.lock(); defer { failureLock.unlock() }
        return failure
    }

    private func captureLoop(limit: Int) {
        defer {
            captureEnded.store(true, ordering: .releasing)
            dataReady.signal()
        }
        guard let pcm else { return }
        let bytesPerSample = Int(snd_pcm_format_physical_width(sampleFormat)) / 8
        let raw = UnsafeMutableRawPointer.allocate(byteCount: periodFrames * channelCount * bytesPerSample, alignment: 16)
        let mono = UnsafeMutablePointer<Float>.allocate(capacity: periodFrames)
        defer { raw.deallocate(); mono.deallocate() }
        var captured = 0
        snd_pcm_start(pcm)
        while !stopRequested.load(ordering: .relaxed) && captured < limit {
            let wanted = min(periodFrames, limit - captured)
            let got = snd_pcm_readi(pcm, raw, snd_pcm_uframes_t(wanted))
            if got < 0 {
                let status = Int32(got)
                if status == -ENODEV { record(.disconnected); return }
                if status == -EPIPE { overruns.add(1, ordering: .relaxed) }
                // Overrun, suspend or interrupted call: recover and go on.
                if snd_pcm_recover(pcm, status, 1) < 0 {
                    record(.captureFailed(String(cString: snd_strerror(status))))
                    return
                }
                continue
            }
            let frames = Int(got)
            let arrival = DispatchTime.now().uptimeNanoseconds
            SampleConversion.mono(from: raw, format: sampleFormat, frames: frames, channels: channelCount, into: mono)
            var offset = 0
            while offset < frames && !stopRequested.load(ordering: .relaxed) {
                offset += ring.write(UnsafeBufferPointer(start: mono + offset, count: frames - offset), arrival: arrival)
                dataReady.signal()
                if offset < frames { _ = spaceReady.wait(timeout: .now() + 0.05) }
            }
            captured += frames
        }
    }

    private func record(_ cause: MicrophoneError.Cause) {
        failureLock.lock(); defer { failureLock.unlock() }
        failure = MicrophoneError(device: device, cause: cause)
    }
}
