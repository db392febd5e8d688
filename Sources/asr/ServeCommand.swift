import ArgumentParser
import Dispatch
import Foundation
import NIOCore
import Recognizer
import SpeechServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Recognize streams from WebSocket clients (sherpa-onnx's online protocol).",
        discussion: """
        Each connection is one stream: binary messages of little-endian float32 samples (16 kHz, or \
        the rate of a first text message {"sample_rate": N}), then the text "Done". That first \
        message may also carry "hotwords": lines of a hotwords file, for this stream in addition to \
        --hotwords. Results come as \
        JSON text messages when they change and at endpoints, then "Done!". A bad message closes \
        its connection with a reason. SIGINT or SIGTERM finishes the open streams and exits 0.
        """
    )

    @OptionGroup var recognizerOptions: RecognizerOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port = 6006

    @Option(name: .customLong("max-streams"), help: "Connections decoding at once; more are refused (close code 1013).")
    var maximumStreams = 32

    @Option(name: .customLong("idle-timeout"), help: "Seconds a client may send nothing before it is closed.")
    var idleTimeout = 30

    @Flag(inversion: .prefixedNo, help: "End a segment (a final result) at each pause after speech, as listen does; without, a stream is one segment, as in transcribe.")
    var endpoints = true

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard maximumStreams >= 1 else { throw ValidationError("--max-streams must be at least 1") }
        guard idleTimeout >= 1 else { throw ValidationError("--idle-timeout must be at least 1 second") }
    }

    func run() throws {
        let server: SpeechServer
        let address: SocketAddress
        do {
            var configuration = try recognizerOptions.configuration()
            configuration.endpoint.isEnabled = endpoints
            let recognizer = try recognizerOptions.makeRecognizer(configuration: configuration)
            // One model for every connection; each stream holds only its own state.
            let source = StreamSource(tokens: recognizer.tokens, sampleRate: configuration.sampleRate) {
                try recognizer.makeStream(hotwords: $0)
            }
            server = SpeechServer(
                configuration: .init(host: host, port: port, maximumStreams: maximumStreams, idleTimeout: .seconds(Int64(idleTimeout))),
                source: source, log: { printError("serve: " + $0) })
            address = try server.start()
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        var signals: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { server.stop() }
            source.resume()
            signals.append(source)
        }
        printError("serve: listening on ws://\(host):\(address.port ?? port) (at most \(maximumStreams) streams)")
        try server.waitUntilStopped()
        signals.forEach { $0.cancel() }
        printError("serve: stopped")
    }
}
