import AudioIO
import Dispatch
import Foundation
import Recognizer

/// Decodes one connection's audio, in arrival order, on its own serial queue: decoding is CPU-bound
/// and must never run on the event loop. Results go to `send` from that queue.
final class StreamWorker: @unchecked Sendable {
    /// What the worker has for the client.
    enum Output {
        /// A result frame's JSON.
        case result(String)
        /// A message of this many samples left the queue (decoded, or dropped once cancelled).
        case consumed(samples: Int)
        /// The input is finished and every result sent: sherpa-onnx's `Done!` follows.
        case finished
        /// The stream could not start or decoding failed; the connection closes with this code and reason.
        case failed(ClientMessageError)
    }

    private let queue: DispatchQueue
    private let makeStream: @Sendable ([Hotword]) throws -> RecognitionStream
    private let tokens: TokenTable
    private let modelSampleRate: Int
    private let send: @Sendable (Output) -> Void
    private let lock = NSLock()
    private var isCancelledValue = false

    // Touched only on `queue`.
    private var session: RecognitionSession?
    private var resampler: Resampler?
    private var hotwords: [Hotword] = []
    private var samplesReceived = 0
    private var hasFailed = false

    init(queue: DispatchQueue, source: StreamSource, send: @escaping @Sendable (Output) -> Void) {
        self.queue = queue
        self.tokens = source.tokens
        self.modelSampleRate = source.sampleRate
        self.makeStream = source.makeStream
        self.send = send
    }

    /// Before any audio: the client's samples are at `sampleRate` Hz (the stream runs at the model's
    /// rate), and its stream also prefers `hotwords`.
    func configure(sampleRate: Int?, hotwords: [Hotword]) {
        queue.async { [self] in
            if let sampleRate {
                resampler = sampleRate == modelSampleRate ? nil : Resampler(inputRate: sampleRate, outputRate: modelSampleRate)
            }
            self.hotwords += hotwords
        }
    }

    func accept(_ samples: [Float]) {
        queue.async { [self] in
            defer { send(.consumed(samples: samples.count)) }
            guard let session = runnableSession() else { return }
            samplesReceived += samples.count
            let chunksBefore = session.stream.statistics.chunks
            var reported = false
            perform {
                try session.accept(resampler?.process(samples) ?? samples) { event in
                    report(event)
                    reported = true
                }
                // sherpa-onnx sends a result after every decoding step, changed or not; clients time
                // their partials by it.
                if !reported && session.stream.statistics.chunks > chunksBefore {
                    report(.partial(session.stream.partialResult))
                }
            }
        }
    }

    /// Ends the input: flushes, sends the remaining results, then `.finished`.
    func finish() {
        queue.async { [self] in
            guard let session = runnableSession() else { return }
            perform {
                if let tail = resampler?.flush() { try session.accept(tail, report: report) }
                try session.finish(report: report)
                send(.finished)
            }
        }
    }

    /// Stops work for a client that is gone: queued messages are dropped, the stream released.
    func cancel() {
        lock.withLock { isCancelledValue = true }
        queue.async { [self] in
            session = nil
            resampler = nil
            FreedMemory.returnToSystem()
        }
    }

    private var isCancelled: Bool { lock.withLock { isCancelledValue } }

    /// The session, made on first use (on the queue: a stream allocates its network state), or
    /// nil once cancelled, failed or finished.
    private func runnableSession() -> RecognitionSession? {
        guard !isCancelled, !hasFailed else { return nil }
        if let session { return session.stream.isFinished ? nil : session }
        do {
            session = RecognitionSession(stream: try makeStream(hotwords))
        } catch {
            // Making a stream fails only over the client's hotwords (a phrase the model cannot spell,
            // a greedy server).
            fail(ClientMessageError(.dataInconsistentWithMessage, "\(error)"))
        }
        return session
    }

    private func perform(_ work: () throws -> Void) {
        do { try work() } catch { fail(ClientMessageError(.unexpectedServerError, "decoding failed: \(error)")) }
    }

    private func fail(_ error: ClientMessageError) {
        hasFailed = true
        session = nil
        send(.failed(error))
    }

    private func report(_ event: RecognitionEvent) {
        let message: ResultMessage
        switch event {
        case .partial(let result):
            message = ResultMessage(result: result, isFinal: false, isEndOfStream: false, samplesReceived: samplesReceived)
        case .final(let result, let isLast):
            message = ResultMessage(result: result, isFinal: true, isEndOfStream: isLast, samplesReceived: samplesReceived)
        }
        send(.result(message.json(tokens: tokens)))
    }
}
