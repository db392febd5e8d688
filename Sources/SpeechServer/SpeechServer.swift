import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// `asr serve`: sherpa-onnx's online WebSocket protocol on one port, one stream per connection.
/// Network I/O runs on one event loop; each connection decodes on its own serial queue.
public final class SpeechServer: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; `start()` returns the one bound.
        public var port: Int
        /// Connections decoding at once; one more is refused with close code 1013.
        public var maximumStreams: Int
        /// A client that sends nothing for this long (before `Done`) is closed.
        public var idleTimeout: TimeAmount

        public init(host: String = "127.0.0.1", port: Int = 6006, maximumStreams: Int = 32, idleTimeout: TimeAmount = .seconds(30)) {
            self.host = host
            self.port = port
            self.maximumStreams = maximumStreams
            self.idleTimeout = idleTimeout
        }
    }

    /// A message (after reassembling fragments) longer than this closes the connection (1009).
    public static let maximumMessageBytes = 1 << 20

    public let configuration: Configuration
    private let source: StreamSource
    private let log: @Sendable (String) -> Void
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: EventLoop
    private let stopped: EventLoopPromise<Void>

    // Touched only on `loop`.
    private var serverChannel: Channel?
    private var connections: [ObjectIdentifier: (channel: Channel, handler: ConnectionHandler)] = [:]
    private var isDraining = false

    public init(configuration: Configuration, source: StreamSource, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.source = source
        self.log = log
        loop = group.next()
        stopped = loop.makePromise()
    }

    /// Binds and starts accepting; returns the address bound.
    public func start() throws -> SocketAddress {
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: Self.maximumMessageBytes, automaticErrorHandling: false,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { [self] channel, _ in
                channel.eventLoop.makeCompletedFuture { try self.open(channel) }
            })
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [configuration, log] channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    // From the first byte: the idle timeout covers the HTTP request and the WebSocket after it.
                    try pipeline.addHandler(IdleStateHandler(readTimeout: configuration.idleTimeout))
                    try pipeline.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    try pipeline.addHandler(PlainHTTPRefusal(log: log), name: PlainHTTPRefusal.name)
                }
            }
            .bind(host: configuration.host, port: configuration.port).wait()
        try loop.submit { self.serverChannel = channel }.wait()
        guard let address = channel.localAddress else { throw ChannelError.unknownLocalAddress }
        return address
    }

    /// Stops accepting, finishes every open stream (its results, `Done!`, close 1001), then lets
    /// `waitUntilStopped` return. Any thread; calling it again does nothing.
    public func stop() {
        loop.execute { [self] in
            guard !isDraining else { return }
            isDraining = true
            serverChannel?.close(promise: nil)
            for connection in connections.values { connection.handler.drain() }
            // A client that does not read its results cannot hold the server up for long.
            loop.scheduleTask(in: .seconds(10)) { [self] in
                for connection in connections.values { connection.channel.close(promise: nil) }
            }
            stopIfDrained()
        }
    }

    /// Blocks until `stop()` has drained every connection.
    public func waitUntilStopped() throws {
        try stopped.futureResult.wait()
        try group.syncShutdownGracefully()
    }

    /// Called on the loop once a connection's upgrade is done: admits it, or refuses it with a reason.
    private func open(_ channel: Channel) throws {
        channel.pipeline.syncOperations.removeHandler(name: PlainHTTPRefusal.name, promise: nil)
        guard !isDraining, connections.count < configuration.maximumStreams else {
            let refusal = isDraining ? ClientMessageError(.goingAway, "server shutting down")
                : ClientMessageError(.tryAgainLater, "server busy: all \(configuration.maximumStreams) streams (--max-streams) in use")
            log("\(channel.peerName): refused: \(refusal.reason)")
            var data = channel.allocator.buffer(capacity: 2 + refusal.reason.utf8.count)
            data.writeInteger(refusal.code.rawValue)
            data.writeString(refusal.reason)
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        let handler = ConnectionHandler(source: source, idleTimeout: configuration.idleTimeout, log: log)
        try channel.pipeline.syncOperations.addHandlers([
            NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                                        maxAccumulatedFrameSize: Self.maximumMessageBytes),
            handler,
        ])
        let key = ObjectIdentifier(channel)
        connections[key] = (channel, handler)
        channel.closeFuture.whenComplete { [self] _ in
            connections[key] = nil
            // The connection's buffers are freed as its pipeline goes, after this.
            loop.execute { FreedMemory.returnToSystem() }
            stopIfDrained()
        }
    }

    private func stopIfDrained() {
        if isDraining && connections.isEmpty { stopped.succeed() }
    }
}
