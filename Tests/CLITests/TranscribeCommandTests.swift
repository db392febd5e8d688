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

    @Test func rejectsABeamOfZero() throws {
        let result = try CommandRunner.run(["transcribe"] + model + ["--beam", "0", Fixtures.audio("weather-16k.wav")])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--beam"))
    }
}

/// `transcribe --format srt|vtt`: numbered (SRT) or headed (WebVTT) cues of at most 42 characters
/// and 7 seconds, in time order, a new cue after the pause.
@Suite(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) struct SubtitleFormatTests {
    let model = ["--model", Fixtures.modelDirectory ?? ""]

    func cues(_ output: String) -> [(start: String, end: String, text: String)] {
        let blocks = output.components(separatedBy: "\n\n").map { $0.split(separator: "\n").map(String.init) }
        return blocks.compactMap { lines in
            guard let timing = lines.firstIndex(where: { $0.contains(" --> ") }), timing + 1 < lines.count else { return nil }
            let parts = lines[timing].components(separatedBy: " --> ")
            return (parts[0], parts[1], lines[timing + 1])
        }
    }

    func seconds(_ stamp: String) -> Double {
        let parts = stamp.replacingOccurrences(of: ",", with: ".").split(separator: ":")
        return Double(parts[0])! * 3600 + Double(parts[1])! * 60 + Double(parts[2])!
    }

    @Test(arguments: ["srt", "vtt"])
    func cuesRespectTheLimits(format: String) throws {
        let result = try CommandRunner.run(["transcribe"] + model + ["--decoding", "greedy", "--format", format,
                                                                     Fixtures.audio("weather-pause-callback-16k.wav")])
        #expect(result.status == 0, "\(result.standardError)")
        let found = cues(result.standardOutput)
        #expect(found.count >= 3)
        #expect(found.map(\.text).joined(separator: " ").hasPrefix("THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST"))
        for cue in found {
            #expect(cue.text.count <= 42)
            #expect(seconds(cue.end) > seconds(cue.start) && seconds(cue.end) - seconds(cue.start) <= 7)
            #expect(cue.start.contains(format == "srt" ? "," : "."))
        }
        #expect(zip(found, found.dropFirst()).allSatisfy { seconds($0.end) <= seconds($1.start) })
        // The 3 s pause after "WEST" ends a cue: no cue spans it.
        #expect(found.contains { seconds($0.end) < 5 } && found.contains { seconds($0.start) > 5 })
        if format == "srt" {
            #expect(result.standardOutput.hasPrefix("1\n00:00:00,"))
        } else {
            #expect(result.standardOutput.hasPrefix("WEBVTT\n\n00:00:00."))
        }
    }

    @Test func subtitlesTakeOneFile() throws {
        let file = Fixtures.audio("weather-16k.wav")
        let result = try CommandRunner.run(["transcribe"] + model + ["--format", "srt", file, file])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--format srt takes one audio file"))
    }
}
