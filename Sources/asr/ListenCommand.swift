import ArgumentParser
import AudioIO
import Dispatch
import Foundation
import Recognizer

struct ListenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Transcribe live audio from an ALSA capture device.",
        discussion: """
        On a terminal the partial result is rewritten in place and each finished utterance (endpoint) \
        stays on its own line; otherwise only finished utterances are printed. Ctrl-C ends the capture, \
        flushes the last words and exits 0.
        """
    )

    @OptionGroup var recognizerOptions: RecognizerOptions

    @Option(help: "ALSA capture device (PCM name).")
    var device: String = "default"

    @Option(help: "Stop after this many seconds of captured audio.")
    var duration: Double?

    @Option(help: "Output: text, or json (one partial/final event per line).")
    var format: OutputFormat = .text

    @Flag(help: "At exit, print latency and per-chunk compute time (p50/p95) and overruns to stderr.")
    var stats = false

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
    }

    func run() throws {
        let recognizer: Recognizer
        let microphone: Microphone
        do {
            var configuration = try recognizerOptions.configuration()
            configuration.endpoint.isEnabled = true
            recognizer = try recognizerOptions.makeRecognizer(configuration: configuration)
            microphone = try Microphone(device: device, targetSampleRate: configuration.sampleRate)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }

        // Ctrl-C stops the capture; the loop below then drains, flushes and exits normally.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { microphone.stop() }
        interrupt.resume()

        let printer = TranscriptPrinter(format: format, isTerminal: isatty(STDOUT_FILENO) == 1)
        var latency = LatencyRecorder()
        let session = RecognitionSession(stream: recognizer.makeStream())
        let stream = session.stream
        func show(_ event: RecognitionEvent) {
            switch event {
            case .partial(let result): printer.partial(result)
            case .final(let result, _): printer.final(result)
            }
        }
        microphone.start(maximumFrames: duration.map { Int(($0 * Double(microphone.sampleRate)).rounded()) })
        do {
            while let block = try microphone.read() {
                let chunksBefore = stream.statistics.chunks
                try session.accept(block.samples, report: show)
                if stream.statistics.chunks > chunksBefore && block.arrival > 0 {
                    latency.record(arrival: block.arrival)
                }
            }
            try session.finish(report: show)
        } catch {
            printer.finishLine()
            printError("\(error)")
            throw ExitCode.failure
        }
        interrupt.cancel()
        if stats {
            let chunks = stream.statistics.chunkComputeSeconds
            let line = String(format: "listen: latency p50 %.1f ms, p95 %.1f ms; chunk compute p50 %.1f ms, p95 %.1f ms; %d chunks; %d overruns\n",
                              latency.percentile(0.5) * 1000, latency.percentile(0.95) * 1000,
                              LatencyRecorder.percentile(chunks, 0.5) * 1000, LatencyRecorder.percentile(chunks, 0.95) * 1000,
                              chunks.count, microphone.overrunCount)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}

/// Arrival-to-result delays: from the moment the newest sample of a block reached us to the moment
/// the chunk it completed was decoded.
struct LatencyRecorder {
    private(set) var seconds: [Double] = []

    mutating func record(arrival: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        seconds.append(Double(now &- arrival) / 1e9)
    }

    func percentile(_ fraction: Double) -> Double { Self.percentile(seconds, fraction) }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, Int((fraction * Double(sorted.count - 1)).rounded()))
        return sorted[index]
    }
}

/// Writes partial and final results: rewritten in place on a terminal, JSON events, or final lines only.
final class TranscriptPrinter {
    let format: OutputFormat
    let isTerminal: Bool
    private var shownPartial = ""

    init(format: OutputFormat, isTerminal: Bool) {
        self.format = format
        self.isTerminal = isTerminal
    }

    func partial(_ result: RecognitionResult) {
        guard result.text != shownPartial else { return }
        shownPartial = result.text
        switch format {
        case .json:
            emit(["type": "partial", "segment": result.segment, "text": result.text])
        case .text where isTerminal:
            write("\r\u{1B}[K" + result.text)
        case .text:
            break
        }
    }

    func final(_ result: RecognitionResult) {
        defer { shownPartial = "" }
        switch format {
        case .json:
            guard !result.text.isEmpty else { return }
            emit(["type": "final", "segment": result.segment, "text": result.text,
                  "start": TranscriptWriter.rounded(result.words.first?.start ?? result.segmentStart),
                  "end": TranscriptWriter.rounded(result.words.last?.end ?? result.segmentStart),
                  "words": result.words.map {
                      ["word": $0.text, "start": TranscriptWriter.rounded($0.start), "end": TranscriptWriter.rounded($0.end)] as [String: Any]
                  }])
        case .text:
            if isTerminal { write("\r\u{1B}[K") }
            if !result.text.isEmpty { write(result.text + "\n") }
        }
    }

    func finishLine() {
        if isTerminal && format == .text && !shownPartial.isEmpty { write("\n") }
    }

    private func emit(_ event: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
