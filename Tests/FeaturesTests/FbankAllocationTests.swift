import CAllocationCounter
import Foundation
import Features
import Testing

/// Streaming samples through the extractor allocates nothing once its buffers have grown to their
/// working size: the caller keeps taking frames and discarding the ones it consumed, as the
/// recognizer does.
@Test func acceptingSamplesAllocatesNothingInSteadyState() {
    let extractor = FbankExtractor()
    let piece = (0..<1600).map { Float(sin(Double($0) * 0.07)) * 0.3 }  // 100 ms at 16 kHz
    var frames = [Float](repeating: 0, count: 80 * 16)
    func feed(_ pieces: Int) {
        for _ in 0..<pieces {
            piece.withUnsafeBufferPointer { extractor.accept($0) }
            let ready = extractor.framesReady - extractor.firstStoredFrame
            frames.withUnsafeMutableBufferPointer { buffer in
                extractor.copyFrames(from: extractor.firstStoredFrame, count: min(ready, 16), into: buffer)
            }
            extractor.discardFrames(before: extractor.framesReady)
        }
    }
    feed(20)  // Warm-up: buffers reach their working size.
    let start = asr_thread_allocation_count()
    feed(100)  // 10 s of audio.
    let allocations = asr_thread_allocation_count() - start
    #expect(extractor.framesReady > 1000)
    #if DEBUG
    // Unoptimized builds call generic code unspecialized, which allocates; the suite runs -c release.
    #else
    #expect(allocations == 0)
    #endif
    // The counter does see allocations, so zero above means something.
    let before = asr_thread_allocation_count()
    let grown = [Float](repeating: 1, count: 4096 + Int(before & 1))
    #expect(grown.count >= 4096 && asr_thread_allocation_count() > before)
}
