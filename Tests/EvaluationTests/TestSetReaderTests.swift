import Evaluation
import Foundation
import Testing
import TestSupport

/// A scratch directory holding a fake set: text files as written, audio files as empty placeholders
/// (readers only check that audio exists; decoding is not their job).
private struct ScratchSet {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("asr-eval-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func write(_ relative: String, _ content: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    func touch(_ relatives: String...) throws {
        for relative in relatives { try write(relative, "") }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

private func summary(_ problems: [SetProblem], relativeTo root: URL) -> [String] {
    problems.map { $0.description.replacingOccurrences(of: root.path + "/", with: "") }
}

@Test func kaldiDataDirectoryReportsEveryBadEntryWithFileAndLine() throws {
    let scratch = try ScratchSet()
    defer { scratch.remove() }
    try scratch.write("set/wav.scp", """
        a audio/a.flac
        b audio/b.flac
        c audio/missing.flac
        d
        e sox in.wav -t wav - |
        a audio/other.flac
        f audio/f.flac
        g audio/g.flac

        """)
    try scratch.write("set/text", """
        a HELLO WORLD
        b GOOD MORNING
        c MISSING AUDIO
        x TEXT WITHOUT AUDIO
        b GOOD MORNING AGAIN
        g

        """)
    try scratch.touch("set/audio/a.flac", "set/audio/b.flac", "set/audio/f.flac", "set/audio/g.flac")

    let set = try TestSet.load(path: scratch.path("set"))
    #expect(set.layout == .kaldiDataDirectory)
    #expect(set.name == "set")
    #expect(set.utterances.map(\.id) == ["a", "b"])
    #expect(set.utterances[0].audioPath == scratch.path("set/audio/a.flac"))
    #expect(set.utterances[1].reference == "GOOD MORNING")
    #expect(set.utterances[1].source == SourceLocation(file: scratch.path("set/text"), line: 2))
    #expect(summary(set.problems, relativeTo: scratch.root) == [
        "set/text:3: audio for 'c' not found: set/audio/missing.flac",
        "set/text:4: transcript for 'x' has no audio",
        "set/text:5: duplicate id 'b' (first at set/text:2)",
        "set/text:6: empty reference text for 'g'",
        "set/wav.scp:4: wav.scp entry 'd' has no audio path",
        "set/wav.scp:5: wav.scp entry 'e' is not a plain path (commands and offsets are not supported)",
        "set/wav.scp:6: duplicate id 'a' (first at set/wav.scp:1)",
        "set/wav.scp:7: audio 'f' has no transcript",
    ])
}

@Test func libriSpeechTreeFindsTranscriptsAtAnyDepthInPathOrder() throws {
    let scratch = try ScratchSet()
    defer { scratch.remove() }
    try scratch.write("tree/LibriSpeech/test/3/4/3-4.trans.txt", "3-4-0000 THIRD ONE")  // no final newline
    try scratch.write("tree/LibriSpeech/test/1/2/1-2.trans.txt", """
        1-2-0000 FIRST UTTERANCE
        1-2-0001 NO AUDIO HERE
        1-2-0000 DUPLICATE
        1-2-0002
        1-2-0003 SECOND ONE\r

        """)
    try scratch.touch("tree/LibriSpeech/test/1/2/1-2-0000.flac", "tree/LibriSpeech/test/1/2/1-2-0002.flac",
                      "tree/LibriSpeech/test/1/2/1-2-0003.wav", "tree/LibriSpeech/test/3/4/3-4-0000.flac")

    let set = try TestSet.load(path: scratch.path("tree"))
    #expect(set.layout == .libriSpeechTree)
    #expect(set.utterances.map(\.id) == ["1-2-0000", "1-2-0003", "3-4-0000"])
    #expect(set.utterances.map(\.reference) == ["FIRST UTTERANCE", "SECOND ONE", "THIRD ONE"])
    #expect(set.utterances[1].audioPath.hasSuffix("1-2-0003.wav"))
    let transcript = "tree/LibriSpeech/test/1/2/1-2.trans.txt"
    #expect(summary(set.problems, relativeTo: scratch.root) == [
        "\(transcript):2: transcript for '1-2-0001' has no audio",
        "\(transcript):3: duplicate id '1-2-0000' (first at \(transcript):1)",
        "\(transcript):4: empty reference text for '1-2-0002'",
    ])
}

@Test func jsonLinesManifestSkipsBrokenLinesAndKeepsTheRest() throws {
    let scratch = try ScratchSet()
    defer { scratch.remove() }
    try scratch.touch("m/a.flac", "m/b.flac", "m/d.flac", "elsewhere/c.flac")
    try scratch.write("m/dev.jsonl", """
        {"audio_filepath": "a.flac", "text": "hello there", "duration": 1.5}
        {"audio_filepath": "a.flac", "text": "dup"}
        {"audio_filepath": "b.flac", "text": "broken"
        {"audio_filepath": "missing.flac", "text": "x"}
        {"text": "no audio"}
        [1, 2]
        {"audio_filepath": "\(scratch.path("elsewhere/c.flac"))", "text": "Absolute, path!"}
        {"audio_filepath": "d.flac", "text": ""}
        {"audio_filepath": "b.flac"}

        """)

    let set = try TestSet.load(path: scratch.path("m/dev.jsonl"))
    #expect(set.layout == .jsonLinesManifest)
    #expect(set.name == "dev")
    #expect(set.utterances.map(\.audioPath) == [scratch.path("m/a.flac"), scratch.path("elsewhere/c.flac")])
    #expect(set.utterances.map(\.reference) == ["hello there", "Absolute, path!"])
    #expect(summary(set.problems, relativeTo: scratch.root) == [
        "m/dev.jsonl:2: duplicate id 'a.flac' (first at m/dev.jsonl:1)",
        "m/dev.jsonl:3: broken JSON line",
        "m/dev.jsonl:4: audio for 'missing.flac' not found: m/missing.flac",
        "m/dev.jsonl:5: no \"audio_filepath\" string",
        "m/dev.jsonl:6: line is not a JSON object",
        "m/dev.jsonl:8: empty reference text for 'd.flac'",
        "m/dev.jsonl:9: no \"text\" string for 'b.flac'",
    ])
}

@Test func unrecognizedOrAbsentSetsThrowOneLineErrorsNamingThePath() throws {
    let scratch = try ScratchSet()
    defer { scratch.remove() }
    try scratch.touch("plain/readme.txt")
    #expect(throws: TestSetError.self) { try TestSet.load(path: scratch.path("plain")) }
    #expect(throws: TestSetError.self) { try TestSet.load(path: scratch.path("absent")) }
    try scratch.write("kaldi/wav.scp", "a a.flac\n")
    do {
        _ = try TestSet.load(path: scratch.path("kaldi"))
        Issue.record("a Kaldi dir without text must fail")
    } catch let error as TestSetError {
        #expect(error.description == "\(scratch.path("kaldi/text")): cannot read file")
    }
}

@Test(.enabled(if: Fixtures.evaluationRoot != nil, "evaluation sets not found")) func sharedEvaluationSetsReadWithoutProblems() throws {
    let root = Fixtures.evaluationRoot!
    let expected = ["an4-test": 130, "librispeech-mini": 6, "librispeech-test-other-50": 50, "ljspeech-100": 100, "mixed-14": 14]
    for (name, count) in expected {
        let set = try TestSet.load(path: root + "/" + name)
        #expect(set.utterances.count == count, "\(name)")
        #expect(set.problems.isEmpty, "\(name): \(set.problems)")
    }
}

@Test func kaldiDataDirectoryGivenARelativePathWithParentComponentsFindsItsAudio() throws {
    let scratch = try ScratchSet()
    defer { scratch.remove() }
    try scratch.write("set/wav.scp", "a audio/a.flac\n")
    try scratch.write("set/text", "a HELLO\n")
    try scratch.touch("set/audio/a.flac")
    // The same directory as seen from the working directory: "../" up to the root, then down.
    let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
    let relative = String(repeating: "../", count: depth) + scratch.path("set").dropFirst()
    let set = try TestSet.load(path: relative)
    #expect(set.problems.isEmpty, "\(set.problems.map(\.description))")
    #expect(set.utterances.map(\.audioPath) == [scratch.path("set/audio/a.flac")])
    #expect(set.name == "set")
}

/// An empty wav.scp is a set with nothing to decode, each transcript reported as lacking audio (the
/// fuzzer's first find was a leak in Foundation's reading of an empty file, now read another way).
@Test func emptyWavScpIsReadAsNoAudio() throws {
    let scratch = try ScratchSet()
    defer { scratch.remove() }
    try scratch.write("set/text", "a HELLO\n")
    try scratch.write("set/wav.scp", "")
    let set = try KaldiDataDirectoryReader(directory: scratch.path("set")).read()
    #expect(set.utterances.isEmpty)
    #expect(set.problems.count == 1)
}
