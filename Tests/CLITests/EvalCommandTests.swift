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

/// The whole command on real audio: 2 utterances decoded, 3 bad entries skipped, and the same
/// report (CPU time aside) for one and for two jobs.
@Test(.enabled(if: Fixtures.modelDirectory != nil))
func evalDecodesTheFixtureSetIdenticallyForAnyJobCount() throws {
    let model = try #require(Fixtures.modelDirectory)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-eval-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    var reports: [[String: Any]] = []
    var details: [String] = []
    for jobs in [1, 2] {
        let json = directory.appendingPathComponent("report-\(jobs).json").path
        let text = directory.appendingPathComponent("details-\(jobs).txt").path
        let result = try runASR(["eval", "--model", model, "--decoding", "greedy", "--jobs", "\(jobs)",
                                 "--json", json, "--details", text, manifest])
        #expect(result.status == 1)  // bad entries were skipped
        #expect(result.stdout.contains("skipped 3 entries"))
        var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        var total = try #require(report["total"] as? [String: Any])
        #expect(total["utterances"] as? Int == 2)
        #expect(total["skipped"] as? Int == 3)
        #expect(total["words"] as? Int == 21)
        #expect((total["wer"] as? Double ?? 1) < 0.5)
        for field in ["cpu_seconds", "rtf"] { total[field] = nil }
        report["total"] = total
        report["sets"] = nil
        reports.append(report)
        details.append(try String(contentsOfFile: text, encoding: .utf8))
    }
    #expect(NSDictionary(dictionary: reports[0]).isEqual(to: reports[1]))
    #expect(details[0] == details[1])
    #expect(details[0].contains("REF: THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST"))
}
