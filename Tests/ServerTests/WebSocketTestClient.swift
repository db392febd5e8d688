import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking WebSocket client over a plain socket, written for the tests: it can send what no
/// well-behaved library would (odd lengths, oversized frames, nothing at all, a vanishing socket).
/// One thread may receive while another sends: only `receive` touches the read buffer.
final class WebSocketTestClient: @unchecked Sendable {
    struct Frame {
        var opcode: UInt8
        var payload: [UInt8]
        var text: String { String(decoding: payload, as: UTF8.self) }
        /// A close frame's code and reason.
        var close: (code: UInt16, reason: String)? {
            guard opcode == 0x8, payload.count >= 2 else { return nil }
            return (UInt16(payload[0]) << 8 | UInt16(payload[1]), String(decoding: payload.dropFirst(2), as: UTF8.self))
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private var socket: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port` and completes the WebSocket handshake.
    init(port: Int, timeoutSeconds: Int = 30) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { Glibc.close(socket); throw Failure(description: "connect to port \(port): errno \(errno)") }
        try write(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while buffer.count < 4 || !buffer.indices.dropLast(3).contains(where: { Array(buffer[$0..<$0 + 4]) == end }) {
            try fill()
        }
        let headerEnd = buffer.indices.dropLast(3).first { Array(buffer[$0..<$0 + 4]) == end }! + 4
        let header = String(decoding: buffer[..<headerEnd], as: UTF8.self)
        buffer.removeFirst(headerEnd)
        guard header.hasPrefix("HTTP/1.1 101") else { throw Failure(description: "no upgrade: \(header)") }
    }

    deinit { if socket >= 0 { Glibc.close(socket) } }

    func sendText(_ text: String) throws { try send(opcode: 0x1, Array(text.utf8)) }

    func sendSamples(_ samples: ArraySlice<Float>) throws {
        try send(opcode: 0x2, samples.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    /// One masked frame, as a client must send it.
    func send(opcode: UInt8, _ payload: [UInt8], fin: Bool = true) throws {
        try write(Self.frameHeader(opcode: opcode, length: payload.count, fin: fin)
            + payload.enumerated().map { $0.element ^ Self.mask[$0.offset % 4] })
    }

    static let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]

    static func frameHeader(opcode: UInt8, length: Int, fin: Bool = true) -> [UInt8] {
        var header: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if length < 126 {
            header.append(0x80 | UInt8(length))
        } else if length < 65536 {
            header += [0x80 | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
        } else {
            header.append(0x80 | 127)
            header += (0..<8).reversed().map { UInt8((length >> ($0 * 8)) & 0xFF) }
        }
        return header + mask
    }

    /// Raw bytes, for frames built by hand.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += written
        }
    }

    /// The next frame from the server (answering nothing), or a failure on timeout or end of stream.
    func receive() throws -> Frame {
        try need(2)
        let opcode = buffer[0] & 0x0F
        var length = Int(buffer[1] & 0x7F)
        var headerLength = 2
        if length == 126 {
            try need(4)
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            headerLength = 4
        } else if length == 127 {
            try need(10)
            length = (2..<10).reduce(0) { $0 << 8 | Int(buffer[$1]) }
            headerLength = 10
        }
        try need(headerLength + length)
        let frame = Frame(opcode: opcode, payload: Array(buffer[headerLength..<headerLength + length]))
        buffer.removeFirst(headerLength + length)
        return frame
    }

    /// Every frame up to and including the server's close frame.
    func receiveUntilClose() throws -> [Frame] {
        var frames: [Frame] = []
        repeat { frames.append(try receive()) } while frames.last!.opcode != 0x8
        return frames
    }

    /// Closes the socket without a close frame, as a client that crashes does.
    func vanish() {
        Glibc.close(socket)
        socket = -1
    }

    private func need(_ count: Int) throws {
        while buffer.count < count { try fill() }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure(description: count == 0 ? "connection closed" : "recv: errno \(errno)") }
        buffer += chunk[..<count]
    }
}
