import Foundation
import Testing
import TestSupport

/// Runs the built `asr` with `arguments`; returns exit status, stdout and stderr.
private func runASR(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fixtures.asrExecutable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

private let manifest = Fixtures.data("CLITests", "eval-set/manifest.jsonl")

@Test func evalReportsEveryBadEntryWithFileAndLineBeforeDecoding() throws {
    let result = try runASR(["eval", "--model", "/nonexistent-model", manifest])
    #expect(result.status != 0)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.contains("asr: \(manifest):3: broken JSON line"))
    #expect(lines.contains { $0.hasPrefix("asr: \(manifest):4: audio for 'absent.wav' not found: ") })
    #expect(lines.contains("asr: \(manifest):5: empty reference text for '../../../../audio-fixtures/callback-16k-float.wav'"))
    #expect(lines.last == "asr: /nonexistent-model: model directory does not exist")
}

@Test func evalNamesAnUnreadableSetAndFails() throws {
    let result = try runASR(["eval", "--model", "/nonexistent-model", "/nonexistent-set"])
    #expect(result.status != 0)
    #expect(result.stderr.hasPrefix("asr: /nonexistent-set: no such file or directory\n"))
    #expect(result.stdout.isEmpty)
}

@Test func benchNamesAnUnreadableAudioFileAndFails() throws {
    let result = try runASR(["bench", "--model", "/nonexistent-model", "/nonexistent.wav"])
    #expect(result.status != 0)
    #expect(result.stderr.split(separator: "\n").first?.hasPrefix("asr: /nonexistent.wav") == true)
}
