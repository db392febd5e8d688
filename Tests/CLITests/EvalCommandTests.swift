import Foundation
import Testing
import TestSupport

private let manifest = Fixtures.data("CLITests", "eval-set/manifest.jsonl")

@Test func evalReportsEveryBadEntryWithFileAndLineBeforeDecoding() throws {
    let result = try CommandRunner.run(["eval", "--model", "/nonexistent-model", manifest])
    #expect(result.status != 0)
    let lines = result.standardError.split(separator: "\n").map(String.init)
    #expect(lines.contains("asr: \(manifest):3: broken JSON line"))
    #expect(lines.contains { $0.hasPrefix("asr: \(manifest):4: audio for 'absent.wav' not found: ") })
    #expect(lines.contains("asr: \(manifest):5: empty reference text for '../../../../audio-fixtures/callback-16k-float.wav'"))
    #expect(lines.last == "asr: /nonexistent-model: model directory does not exist")
}

@Test func evalNamesAnUnreadableSetAndFails() throws {
    let result = try CommandRunner.run(["eval", "--model", "/nonexistent-model", "/nonexistent-set"])
    #expect(result.status != 0)
    #expect(result.standardError.hasPrefix("asr: /nonexistent-set: no such file or directory\n"))
    #expect(result.standardOutput.isEmpty)
}

@Test func evalRefusesAReportPathItCannotWriteBeforeDecoding() throws {
    let result = try CommandRunner.run(["eval", "--model", "/nonexistent-model", "--details", "/nonexistent-directory/details.txt", manifest])
    #expect(result.status != 0)
    #expect(result.standardError == "asr: /nonexistent-directory/details.txt: cannot write report\n")
    #expect(result.standardOutput.isEmpty)
}

@Test func benchNamesAnUnreadableAudioFileAndFails() throws {
    let result = try CommandRunner.run(["bench", "--model", "/nonexistent-model", "/nonexistent.wav"])
    #expect(result.status != 0)
    #expect(result.standardError.split(separator: "\n").first?.hasPrefix("asr: /nonexistent.wav") == true)
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
        let result = try CommandRunner.run(["eval", "--model", model, "--decoding", "greedy", "--jobs", "\(jobs)",
                                 "--json", json, "--details", text, manifest])
        #expect(result.status == 1)  // bad entries were skipped
        #expect(result.standardOutput.contains("skipped 3 entries"))
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

/// `--json /dev/stdout` with standard output sent to a file: the JSON follows the text report
/// there instead of truncating the file under it.
@Test(.enabled(if: Fixtures.modelDirectory != nil))
func evalAppendsAJSONReportToStandardOutputRedirectedToAFile() throws {
    let model = try #require(Fixtures.modelDirectory)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("asr-eval-stdout-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try CommandRunner.run(["eval", "--model", model, "--decoding", "greedy", "--json", "/dev/stdout", manifest],
                                       outputFile: file)
    #expect(result.status == 1)  // bad entries were skipped
    let text = try #require(result.standardOutput.range(of: "skipped 3 entries"))
    let json = try #require(result.standardOutput.range(of: "{\n"))
    #expect(text.upperBound < json.lowerBound)
    let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput[json.lowerBound...].utf8)) as? [String: Any]
    #expect((report?["total"] as? [String: Any])?["utterances"] as? Int == 2)
}

/// `bench` on one fixture: every contract field present and the figures consistent with each other.
@Test(.enabled(if: Fixtures.modelDirectory != nil))
func benchReportsConsistentFigures() throws {
    let model = try #require(Fixtures.modelDirectory)
    let json = FileManager.default.temporaryDirectory.appendingPathComponent("asr-bench-\(UUID().uuidString).json").path
    defer { try? FileManager.default.removeItem(atPath: json) }
    // Allocations are counted only with the counter preloaded; the executable itself uses glibc's allocator.
    let counter = URL(fileURLWithPath: Fixtures.asrExecutable).deletingLastPathComponent().appendingPathComponent("libAllocationCounter.so").path
    #expect(FileManager.default.fileExists(atPath: counter), "\(counter) not built")
    let result = try CommandRunner.run(["bench", "--model", model, "--decoding", "greedy", "--json", json, Fixtures.audio("weather-16k.wav")],
                                       environment: ["LD_PRELOAD": counter])
    #expect(result.status == 0, "\(result.standardError)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    let audio = try #require(report["audio_seconds"] as? Double)
    #expect(abs(audio - 46_320.0 / 16_000) < 1e-9)  // weather-16k.wav holds 46320 samples at 16 kHz
    let chunks = try #require(report["chunks"] as? Int)
    let chunkMs = try #require(report["chunk_ms"] as? [String: Double])
    #expect(chunks > 0)
    #expect(chunkMs["p50"]! <= chunkMs["p95"]! && chunkMs["p95"]! <= chunkMs["max"]!)
    let cpu = try #require(report["cpu_seconds"] as? Double)
    #expect(cpu > 0 && cpu <= (report["process_cpu_seconds"] as? Double ?? 0))
    #expect(abs((report["rtf"] as? Double ?? 0) - cpu / audio) < 1e-12)
    #expect((report["peak_rss_bytes"] as? Int ?? 0) > 1 << 20)
    #expect(report["allocations_per_chunk"] is Double)
    let stages = try #require(report["stage_seconds"] as? [String: Double])
    #expect(stages["features"]! > 0 && stages["encoder"]! > 0 && stages["search"]! > 0)
    #expect((report["load_ms"] as? Double ?? 0) > 0)
    // The memory each graph planned at load, also in the text report.
    let graphs = try #require(report["graphs"] as? [String: [String: Int]])
    #expect(Set(graphs.keys) == ["encoder", "decoder", "joiner"])
    #expect((graphs["encoder"]?["arena_bytes"] ?? 0) > 0 && (graphs["encoder"]?["steps"] ?? 0) > 0)
    #expect(result.standardOutput.contains("encoder memory   arena "))
    // The onnxruntime CPU profile the kernels reproduce on this machine.
    #expect(["avx2", "avx2-vnni", "avx512", "avx512-vnni"].contains(report["arithmetic"] as? String ?? ""))
    #expect(result.standardOutput.contains("arithmetic       avx"))
    // The kernel set: portable when asked for, else AVX2 wherever the CPU has AVX2 and FMA.
    let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? []
    let forcedPortable = ProcessInfo.processInfo.environment["ASR_CPU_FEATURES"] == "portable"
    let expectedKernels = !forcedPortable && flags.contains("avx2") && flags.contains("fma") ? "avx2" : "portable"
    #expect(report["kernels"] as? String == expectedKernels)
    #expect(result.standardOutput.contains("kernels          \(expectedKernels)"))
    // The int8 product: AMX or VNNI only where the CPU has them (and Linux grants AMX's tiles).
    let int8Products = report["int8_products"] as? String ?? ""
    switch int8Products {
    case "amx": #expect(expectedKernels == "avx2" && flags.contains("amx_int8") && flags.contains("avx512_vnni"))
    case "vnni": #expect(expectedKernels == "avx2" && flags.contains("avx512_vnni"))
    default: #expect(int8Products == expectedKernels)
    }
    #expect(result.standardOutput.contains("int8 products    \(int8Products)"))

    let uncounted = try CommandRunner.run(["bench", "--model", model, "--decoding", "greedy", Fixtures.audio("weather-16k.wav")])
    #expect(uncounted.status == 0)
    #expect(uncounted.standardOutput.contains("allocations      not counted"))
}
