import Foundation
import Recognizer
import SpeechServer
import Testing

@Suite struct ClientMessageTests {
    func binary(_ bytes: [UInt8]) throws -> ClientMessage {
        try bytes.withUnsafeBytes { try ClientMessage(binary: $0) }
    }

    @Test func textMessages() throws {
        #expect(try ClientMessage(text: Array("Done".utf8)) == .done)
        #expect(try ClientMessage(text: Array(#"{"sample_rate": 8000}"#.utf8)) == .configuration(sampleRate: 8000, hotwords: nil))
        #expect(try ClientMessage(text: Array(#"{"sample_rate":48000.0}"#.utf8)) == .configuration(sampleRate: 48000, hotwords: nil))
        #expect(try ClientMessage(text: Array(#"{"hotwords": "CALL ME BACK :2\nSUNDAY"}"#.utf8))
                == .configuration(sampleRate: nil, hotwords: "CALL ME BACK :2\nSUNDAY"))
        #expect(try ClientMessage(text: Array(#"{"hotwords": "", "sample_rate": 8000}"#.utf8)) == .configuration(sampleRate: 8000, hotwords: ""))
        for bad in ["done", "Done ", "", "{}", #"{"sample_rate": 16000.5}"#, #"{"sample_rate": 100}"#,
                    #"{"sample_rate": "16000"}"#, #"{"sample_rate": 16000, "x": 1}"#, "[16000]", "{",
                    #"{"hotwords": 3}"#, #"{"hotwords": ["A"]}"#, #"{"hotwords": "A", "x": null}"#, #"{"sample_rate": null}"#] {
            #expect(throws: ClientMessageError.self, "\(bad)") { try ClientMessage(text: Array(bad.utf8)) }
        }
    }

    @Test func binaryMessagesAreLittleEndianFloat32() throws {
        #expect(try binary([]) == .samples([]))
        #expect(try binary([0, 0, 0x80, 0x3F, 0, 0, 0, 0xBF]) == .samples([1, -0.5]))
        #expect(throws: ClientMessageError(.dataInconsistentWithMessage, "a binary message of 5 bytes is not whole float32 samples")) {
            try binary([0, 0, 0x80, 0x3F, 0])
        }
        #expect(throws: ClientMessageError(.dataInconsistentWithMessage, "sample 1 of a binary message is nan, not a finite number")) {
            try binary([0, 0, 0x80, 0x3F, 0, 0, 0xC0, 0x7F])
        }
    }

    @Test func resultJSONHasSherpaOnnxFields() throws {
        let tokens = TokenTable(pieces: ["<blk>", "▁SAY", "\"HI\""])
        let result = RecognitionResult(text: "SAY \"HI\"", tokens: [1, 2], tokenTimes: [0.4, 0.481], words: [RecognizedWord(text: "SAY", start: 0.4, end: 0.48)],
                                       segment: 2, segmentStart: 0.25)
        let json = ResultMessage(result: result, isFinal: true, isEndOfStream: false, samplesReceived: 8000).json(tokens: tokens)
        #expect(json == #"{"text":"SAY \"HI\"","tokens":["▁SAY","\"HI\""],"timestamps":[0.40,0.48],"segment":2,"words":[{"word":"SAY","start":0.40,"end":0.48}],"start_time":0.25,"is_final":true,"is_eof":false,"samples_received":8000}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }
}
