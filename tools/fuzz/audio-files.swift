import Foundation

// libFuzzer harness: audio files through AudioFileReader (libsndfile's format detection and
// decoding, downmix, resampling to 16 kHz), then the fbank features of what it read.
// Input: the bytes of one file (any format libsndfile reads; the seeds are small WAV, FLAC, Ogg,
// AU and SPHERE files), written to a file in memory (/dev/shm) because the reader takes a path.

private let path = "/dev/shm/asr-fuzz-audio-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    defer { try? FileManager.default.removeItem(atPath: path) }
    // A bad file must throw, never trap: any thrown error is a correct answer here.
    guard let reader = try? AudioFileReader(path: path, targetSampleRate: 16_000) else { return 0 }
    let features = FbankExtractor()
    // At most a few seconds per input: a header may announce billions of frames.
    var blocks = 0
    while blocks < 8, let block = try? reader.read(maxFrames: 4_000) {
        features.accept(block)
        blocks += 1
    }
    features.inputFinished()
    _ = features.frames(from: features.firstStoredFrame, count: features.framesReady - features.firstStoredFrame)
    return 0
}
