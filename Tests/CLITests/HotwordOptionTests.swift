import Foundation
import Testing
import TestSupport

private let manifest = Fixtures.data("CLITests", "eval-set/manifest.jsonl")

private func temporaryFile(_ name: String, _ contents: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("asr-hotwords-\(UUID().uuidString)-\(name)").path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Test(.enabled(if: Fixtures.modelDirectory != nil))
func aBadHotwordsFileIsOneErrorNamingFileAndLine() throws {
    let model = try #require(Fixtures.modelDirectory)
    let hotwords = try temporaryFile("hotwords.txt", "WEATHER\n\nSUNNY :high\n")
    defer { try? FileManager.default.removeItem(atPath: hotwords) }
    let result = try CommandRunner.run(["transcribe", "--model", model, "--hotwords", hotwords, Fixtures.audio("weather-16k.wav")])
    #expect(result.status != 0)
    #expect(result.standardError == "asr: \(hotwords):3: bad score ':high' (expected ':' and a number)\n")
    #expect(result.standardOutput.isEmpty)
}

@Test func hotwordsWithGreedySearchIsAnError() throws {
    let result = try CommandRunner.run(["transcribe", "--decoding", "greedy", "--hotwords", "h.txt", "x.wav"])
    #expect(result.status != 0)
    #expect(result.standardError.contains("--hotwords needs --decoding beam"))
}

@Test func aMalformedBiasingListIsOneErrorNamingFileAndLine() throws {
    let list = try temporaryFile("list.tsv", "a\tref\t[]\t[\"x\"]\nb\tref\t[\"r\"]\n")
    defer { try? FileManager.default.removeItem(atPath: list) }
    let result = try CommandRunner.run(["eval", "--model", "/nonexistent-model", "--biasing-list", list, manifest])
    #expect(result.status != 0)
    #expect(result.standardError == "asr: \(list):2: expected 4 tab-separated fields (id, reference, rare words, biasing list), found 3\n")
}

/// The fixture set decoded with biasing lists: the report gains U-WER and B-WER, and the utterance
/// the list lacks is reported and skipped.
@Test(.enabled(if: Fixtures.modelDirectory != nil))
func evalWithABiasingListReportsUnbiasedAndBiasedWordErrors() throws {
    let model = try #require(Fixtures.modelDirectory)
    let weather = "../../../../audio-fixtures/weather-16k.wav"
    let list = try temporaryFile("list.tsv", """
        \(weather)\tthe weather today is sunny with a light breeze from the west\t["breeze", "sunny"]\t["breeze", "sunny", "lobster"]
        unused-id\tnothing\t[]\t[]

        """)
    let json = list + ".json"
    defer { try? FileManager.default.removeItem(atPath: list); try? FileManager.default.removeItem(atPath: json) }
    let result = try CommandRunner.run(["eval", "--model", model, "--decoding", "beam", "--biasing-list", list,
                                        "--json", json, manifest])
    #expect(result.status == 1)  // skipped entries
    #expect(result.standardError.contains("'../../../../audio-fixtures/callback-44k.flac' has no line in the biasing list \(list)"))
    #expect(result.standardOutput.contains("U-WER %"))
    let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    let total = try #require(report["total"] as? [String: Any])
    #expect(total["utterances"] as? Int == 1)
    #expect(total["u_wer"] as? Double == 0)
    #expect(total["b_wer"] as? Double == 0)
    let biased = try #require(total["biased"] as? [String: Any])
    #expect(biased["words"] as? Int == 2)
}
