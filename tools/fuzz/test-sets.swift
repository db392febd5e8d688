import Foundation

// libFuzzer harness: test-set readers (Kaldi data dir, JSON lines, LibriSpeech transcripts), then
// the text normalizer and the word/character alignment on what they read.
// Input: first byte picks the layout; the rest is split at the first NUL into two files' bytes.

private let directory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("asr-fuzz-test-sets-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Data(bytes: data + 1, count: size - 1)
    let split = body.firstIndex(of: 0) ?? body.endIndex
    let first = body[body.startIndex..<split], second = split < body.endIndex ? body[(split + 1)...] : Data()
    let fileManager = FileManager.default
    for name in (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? [] {
        try? fileManager.removeItem(at: directory.appendingPathComponent(name))
    }
    let set: TestSet?
    switch data[0] % 3 {
    case 0:
        try? first.write(to: directory.appendingPathComponent("text"))
        try? second.write(to: directory.appendingPathComponent("wav.scp"))
        set = try? KaldiDataDirectoryReader(directory: directory.path).read()
    case 1:
        let manifest = directory.appendingPathComponent("manifest.jsonl")
        try? first.write(to: manifest)
        set = try? JSONLinesManifestReader(path: manifest.path).read()
    default:
        let chapter = directory.appendingPathComponent("1/2")
        try? fileManager.createDirectory(at: chapter, withIntermediateDirectories: true)
        try? first.write(to: chapter.appendingPathComponent("1-2.trans.txt"))
        try? second.write(to: chapter.appendingPathComponent("1-2-0000.flac"))
        set = try? LibriSpeechTreeReader(root: directory.path).read()
    }
    let normalizer = TextNormalizer()
    let texts = (set?.utterances.map(\.reference) ?? []) + [String(decoding: first, as: UTF8.self)]
    for (reference, hypothesis) in zip(texts, texts.reversed()) {
        let words = normalizer.words(reference), other = normalizer.words(hypothesis)
        _ = EditAlignment<String>(reference: words, hypothesis: other)
        _ = EditAlignment<Character>(reference: Array(normalizer.normalize(reference)), hypothesis: Array(normalizer.normalize(hypothesis)))
    }
    return 0
}
