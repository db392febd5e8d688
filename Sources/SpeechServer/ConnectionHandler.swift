import Dispatch
import NIOCore
import NIOWebSocket
import Recognizer

/// One client's WebSocket: decodes its messages, hands audio to its `StreamWorker`, writes the
/// results back, and closes with a reason on any message it cannot accept. Runs on the event loop;
/// the worker's outputs are brought back to it.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Every connection's queue runs on this one: a global queue runs about as many blocks at once
    /// as there are cores, where queues of their own would each get a thread.
    private static let decoding = DispatchQueue.global(qos: .userInitiated)

    private let source: StreamSource
    private let idleTimeout: TimeAmount
    private let log: @Sendable (String) -> Void
    private var context: ChannelHandlerContext?
    private var worker: StreamWorker?
    private var peer = "client"
    private var hasAudio = false
    private var isFinishing = false
    private var isClosing = false
    /// How the connection closes after `Done!`: normally, or as going away when the server stops.
    private var closeAfterDone = ClientMessageError(.normalClosure, "done")
    /// Samples handed to the worker and not yet decoded. Past `maximumQueuedSamples` the socket is
    /// not read until the worker is half way through them: a client sending faster than decoding
    /// is slowed down by TCP instead of filling the server's memory.
    private var queuedSamples = 0
    private var isReadingPaused = false
    private static let maximumQueuedSamples = 1 << 19

    init(source: StreamSource, idleTimeout: TimeAmount, log: @escaping @Sendable (String) -> Void) {
        self.source = source
        self.idleTimeout = idleTimeout
        self.log = log
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        peer = context.channel.peerName
        // The worker's outputs come back to the loop; `handlerRemoved` drops the worker, ending the cycle.
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        worker = StreamWorker(queue: DispatchQueue(label: "asr.serve.stream", target: Self.decoding), source: source) { output in
            handler.eventLoop.execute { handler.value.deliver(output) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        worker?.cancel()
        worker = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            guard !isClosing else { return }
            do {
                try handle(frame)
            } catch let error as ClientMessageError {
                close(error)
            } catch {
                close(ClientMessageError(.unexpectedServerError, "\(error)"))
            }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            if !isFinishing { log("\(peer): closed by the client before \"Done\"") }
            close(ClientMessageError(.normalClosure, "closed by the client"), quietly: true)
        default:
            break
        }
    }

    private func handle(_ frame: WebSocketFrame) throws {
        guard !isFinishing else {
            throw ClientMessageError(.policyViolation, "a message after \"Done\"")
        }
        let payload = frame.unmaskedData
        let message = try frame.opcode == .text
            ? ClientMessage(text: payload.readableBytesView)
            : payload.withUnsafeReadableBytes { bytes throws(ClientMessageError) in try ClientMessage(binary: bytes) }
        switch message {
        case .samples(let samples):
            hasAudio = true
            queuedSamples += samples.count
            worker?.accept(samples)
            if queuedSamples > Self.maximumQueuedSamples && !isReadingPaused {
                isReadingPaused = true
                try? context?.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
            }
        case .configuration(let sampleRate, let text):
            guard !hasAudio else { throw ClientMessageError(.policyViolation, "the configuration came after audio") }
            var hotwords: [Hotword] = []
            if let text {
                do {
                    hotwords = try Hotword.list(parsing: text, source: "hotwords")
                } catch {
                    throw ClientMessageError(.dataInconsistentWithMessage, "\(error)")
                }
            }
            worker?.configure(sampleRate: sampleRate, hotwords: hotwords)
        case .done:
            isFinishing = true
            worker?.finish()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // After `Done` the client only waits for results, however long decoding takes.
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, !isFinishing {
            close(ClientMessageError(.policyViolation, "no message in \(idleTimeout.nanoseconds / 1_000_000_000) s"))
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength, NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            close(ClientMessageError(.messageTooLarge, "a message over \(SpeechServer.maximumMessageBytes) bytes"))
        case is IOError:
            // The socket is gone: nobody to tell. A client that closes with results unread resets the
            // connection instead of ending it, so this is the same vanishing as `channelInactive`'s.
            if !isClosing && !isFinishing { log("\(peer): went away before \"Done\" (\(error))") }
            isClosing = true
            context.close(promise: nil)
        default:
            close(ClientMessageError(.protocolError, "\(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !isClosing && !isFinishing { log("\(peer): went away before \"Done\"") }
        isClosing = true
        worker?.cancel()
        context.fireChannelInactive()
    }

    /// The server is stopping: finish the stream as if the client had sent `Done`, then close.
    func drain() {
        closeAfterDone = ClientMessageError(.goingAway, "server shutting down")
        guard !isFinishing, !isClosing else { return }
        isFinishing = true
        worker?.finish()
    }

    private func deliver(_ output: StreamWorker.Output) {
        guard let context, !isClosing else { return }
        switch output {
        case .result(let json):
            send(.text, context.channel.allocator.buffer(string: json))
        case .consumed(let samples):
            queuedSamples -= samples
            if isReadingPaused && queuedSamples <= Self.maximumQueuedSamples / 2 {
                isReadingPaused = false
                try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
            }
        case .finished:
            send(.text, context.channel.allocator.buffer(string: "Done!"))
            close(closeAfterDone, quietly: true)
        case .failed(let error):
            close(error)
        }
    }

    private func send(_ opcode: WebSocketOpcode, _ data: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: opcode, data: data)), promise: nil)
    }

    /// Sends a close frame with the code and reason, then closes the socket; logs the reason unless quiet.
    private func close(_ error: ClientMessageError, quietly: Bool = false) {
        guard let context, !isClosing else { return }
        isClosing = true
        worker?.cancel()
        if !quietly { log("\(peer): closed (\(error.code.rawValue)): \(error.reason)") }
        var data = context.channel.allocator.buffer(capacity: 2 + error.reason.utf8.count)
        data.writeInteger(error.code.rawValue)
        data.writeString(error.reason)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
