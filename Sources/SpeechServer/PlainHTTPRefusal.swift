import NIOCore
import NIOHTTP1

/// Sits behind the HTTP decoder until a connection upgrades to WebSocket (then it is removed): a
/// plain HTTP request gets 426 Upgrade Required, and a connection that sends no request within the
/// idle timeout is closed, so neither holds a socket forever.
final class PlainHTTPRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let name = "plain-http-refusal"

    private let log: @Sendable (String) -> Void

    init(log: @escaping @Sendable (String) -> Void) {
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        log("\(context.channel.peerName): refused: \(request.method) \(request.uri) without a WebSocket upgrade")
        let body = context.channel.allocator.buffer(string: "asr serve speaks WebSocket (sherpa-onnx's online protocol)\n")
        let headers: HTTPHeaders = ["Upgrade": "websocket", "Connection": "close", "Content-Length": "\(body.readableBytes)"]
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .upgradeRequired, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            log("\(context.channel.peerName): closed: no request before the idle timeout")
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
