import Foundation
import TestSupport
import Testing

@Suite(.enabled(if: Fixtures.modelDirectory != nil)) struct TranscribeCommandTests {
    var model: [String] { ["--model", Fixtures.modelDirectory ?? ""] }

    @Test func oneFilePrintsTheTextAlone() throws {
        let result = try CommandRunner.run(["transcribe"] + model + ["--decoding", "greedy", Fixtures.audio("weather-16k.wav")])
        #expect(result.status == 0)
        #expect(result.standardOutput == "THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST\n")
    }

    @Test func aBadFileIsReportedAndTheOthersStillTranscribed() throws {
        let files = [Fixtures.audio("weather-16k.wav"), "/nonexistent/missing.wav", Fixtures.audio("long-pause.wav")]
        let result = try CommandRunner.run(["transcribe"] + model + files)
        #expect(result.status != 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(files[0])\tTHE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST",
            "\(files[2])\tBUT WHEN THERE IS TODAY PLEASE OPEN THE DOOR",
        ])
        let errors = result.standardError.split(separator: "\n")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("/nonexistent/missing.wav") == true)
    }

    @Test func jsonLinesCarryWordsWithTimes() throws {
        let result = try CommandRunner.run(["transcribe"] + model + ["--format", "json", "--partials", Fixtures.audio("weather-16k.wav")])
        #expect(result.status == 0)
        let objects = try result.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count > 2, "partials come before the final line")
        let final = try #require(objects.last)
        #expect(final["final"] as? Bool == true)
        #expect(final["text"] as? String == "THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST")
        let words = try #require(final["words"] as? [[String: Any]])
        #expect(words.map { $0["word"] as? String ?? "" } == ["THE", "WEATHER", "TODAY", "IS", "SUNNY", "WITH", "A", "LIGHT", "BREEZE", "FROM", "THE", "WEST"])
        let spans = words.map { ($0["start"] as? Double ?? -1, $0["end"] as? Double ?? -1) }
        #expect(spans.allSatisfy { $0.0 >= 0 && $0.0 < $0.1 })
        #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.1 <= $1.0 + 1e-9 })
        #expect(objects.dropLast().allSatisfy { $0["final"] as? Bool == false })
    }

    @Test func quantizeFp32GivesTheSameText() throws {
        let result = try CommandRunner.run(["transcribe"] + model + ["--decoding", "greedy", "--quantize-fp32", Fixtures.audio("weather-16k.wav")])
        #expect(result.status == 0)
        #expect(result.standardOutput == "THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST\n")
    }

    @Test func requantizeInt8GivesTheSameText() throws {
        let result = try CommandRunner.run(["transcribe"] + model + ["--decoding", "greedy", "--requantize-int8", Fixtures.audio("weather-16k.wav")])
        #expect(result.status == 0)
        #expect(result.standardOutput == "THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST\n")
    }

    @Test func rejectsABeamOfZero() throws {
        let result = try CommandRunner.run(["transcribe"] + model + ["--beam", "0", Fixtures.audio("weather-16k.wav")])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--beam"))
    }
}
