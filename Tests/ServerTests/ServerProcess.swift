import AudioIO
import Foundation
import TestSupport

/// A running `asr serve --port 0` on loopback, with what it printed on stderr.
final class ServerProcess {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let process = Process()
    private(set) var port = 0
    private let lock = NSLock()
    private var errorText = ""

    init(_ arguments: [String] = []) throws {
        guard let model = Fixtures.modelDirectory else { throw Failure(description: "no model: set ASR_MODEL") }
        process.executableURL = URL(fileURLWithPath: Fixtures.asrExecutable)
        process.arguments = ["serve", "--port", "0", "--model", model] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self?.lock.withLock { self?.errorText += text }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while port == 0 {
            if let range = log.range(of: #"listening on ws://[^:]+:(\d+)"#, options: .regularExpression),
               let number = Int(log[range].split(separator: ":").last!) {
                port = number
            } else if !process.isRunning || Date() > deadline {
                throw Failure(description: "asr serve did not start: \(log)")
            } else {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }

    /// Everything the server wrote to stderr so far.
    var log: String { lock.withLock { errorText } }

    /// Whether the log shows `text` within a few seconds (stderr arrives asynchronously).
    func logs(_ text: String, within seconds: Double = 3) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !log.contains(text) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return log.contains(text)
    }

    /// The server's resident memory in bytes (VmRSS).
    var residentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// Sends `signal` and waits for the exit status.
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits until the server's RSS is at most `limit` bytes (workers release streams asynchronously);
    /// returns the last reading.
    func residentBytes(fallingTo limit: Int, within seconds: Double = 3) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var bytes = residentBytes
        while bytes > limit && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            bytes = residentBytes
        }
        return bytes
    }
}

/// A well-behaved client streaming one fixture: its transcript must not notice anybody else.
final class FixtureClient {
    let client: WebSocketTestClient
    let samples: [Float]
    private var sent = 0

    init(port: Int, fixture: String) throws {
        client = try WebSocketTestClient(port: port)
        samples = try Self.samples(of: fixture)
    }

    /// 16 kHz samples of an audio fixture.
    static func samples(of fixture: String, sampleRate: Int = 16000) throws -> [Float] {
        let reader = try AudioFileReader(path: Fixtures.audio(fixture), targetSampleRate: sampleRate)
        var samples: [Float] = []
        while let block = try reader.read(maxFrames: sampleRate) { samples += block }
        return samples
    }

    /// Sends up to `fraction` of the file in 0.1 s messages.
    func send(upTo fraction: Double) throws {
        let end = Int(Double(samples.count) * fraction)
        while sent < end { try sendNext(limit: end) }
    }

    /// Sends the next 0.1 s (not past `limit`), if any is left.
    func sendNext(limit: Int? = nil) throws {
        let next = min(sent + 1600, limit ?? samples.count)
        guard next > sent else { return }
        try client.sendSamples(samples[sent..<next])
        sent = next
    }

    /// Sends the rest and `Done`, reads to the close; returns the transcript and every frame.
    func finish() throws -> (text: String, frames: [WebSocketTestClient.Frame]) {
        try sendRest()
        return try receiveToClose()
    }

    /// Sends the rest and `Done`.
    func sendRest() throws {
        try send(upTo: 1)
        try client.sendText("Done")
    }

    /// Reads to the close; returns the transcript and every frame.
    func receiveToClose() throws -> (text: String, frames: [WebSocketTestClient.Frame]) {
        let frames = try client.receiveUntilClose()
        return (Self.transcript(frames), frames)
    }

    /// The final results' texts, joined as `asr transcribe` joins segments.
    static func transcript(_ frames: [WebSocketTestClient.Frame]) -> String {
        frames.filter { $0.opcode == 0x1 && $0.text != "Done!" }
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.payload)) as? [String: Any] }
            .filter { $0["is_final"] as? Bool == true }
            .compactMap { $0["text"] as? String }.filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// `asr transcribe --decoding DECODING [OPTIONS]` of a fixture.
    static func reference(_ fixture: String, decoding: String = "greedy", options: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.asrExecutable)
        process.arguments = ["transcribe", "--decoding", decoding] + options + [Fixtures.audio(fixture)]
            + (Fixtures.modelDirectory.map { ["--model", $0] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
