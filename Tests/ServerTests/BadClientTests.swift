import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Each bad client gets a clear close, and nobody else notices: two well-behaved streams open
/// around it keep their transcripts, and the server's memory returns to what it was before.
@Suite(.serialized) struct BadClientTests {
    /// How a bad client misbehaves; returns the close frame it got, or nil when it got none (vanished).
    /// `keepTalking` sends the good streams' next 0.1 s, for a misbehavior that takes a while.
    typealias Misbehavior = (_ port: Int, _ keepTalking: () throws -> Void) throws -> WebSocketTestClient.Frame?

    /// Starts a server, runs one good stream to warm it up and reads its RSS, then opens two good
    /// streams, sends half their audio, lets the bad client misbehave, finishes the good streams and
    /// checks their transcripts and the RSS. Returns the bad client's close frame and the server.
    func withBystanders(_ misbehave: Misbehavior) throws -> (close: (code: UInt16, reason: String)?, server: ServerProcess) {
        let server = try ServerProcess(["--decoding", "greedy", "--idle-timeout", "1"])
        let weather = try FixtureClient.reference("weather-16k.wav")
        let callback = try FixtureClient.reference("callback-16k-float.wav")
        #expect(try FixtureClient(port: server.port, fixture: "weather-16k.wav").finish().text == weather)
        let baseline = server.residentBytes(fallingTo: 0, within: 0.5)

        let first = try FixtureClient(port: server.port, fixture: "weather-16k.wav")
        let second = try FixtureClient(port: server.port, fixture: "callback-16k-float.wav")
        try first.send(upTo: 0.5)
        try second.send(upTo: 0.5)
        let close = try misbehave(server.port) {
            try first.sendNext()
            try second.sendNext()
        }?.close
        // Both finish sending before either waits for its results: meanwhile the waiting one sends
        // nothing, and with slow decoding the other would outlast the 1 s idle timeout.
        try first.sendRest()
        try second.sendRest()
        #expect(try first.receiveToClose().text == weather)
        #expect(try second.receiveToClose().text == callback)

        // Released streams, model copies and buffers go back: within 4 MiB of the warm baseline.
        let tolerance = 4 << 20
        let after = server.residentBytes(fallingTo: baseline + tolerance)
        #expect(after <= baseline + tolerance, "RSS \(after >> 10) KiB after, \(baseline >> 10) KiB before")
        return (close, server)
    }

    @Test func textThatIsNeitherDoneNorConfiguration() throws {
        let (close, server) = try withBystanders { port, _ in
            let client = try WebSocketTestClient(port: port)
            try client.sendText("hello")
            return try client.receive()
        }
        #expect(close?.code == 1003)
        #expect(close?.reason == "a text message must be \"Done\" or a JSON configuration")
        #expect(server.logs("closed (1003): a text message must be \"Done\" or a JSON configuration"))
    }

    @Test func binaryLengthNotAMultipleOfFour() throws {
        let (close, _) = try withBystanders { port, _ in
            let client = try WebSocketTestClient(port: port)
            try client.send(opcode: 0x2, [0, 0, 0, 0, 0, 0, 0])
            return try client.receive()
        }
        #expect(close?.code == 1007)
        #expect(close?.reason == "a binary message of 7 bytes is not whole float32 samples")
    }

    @Test func nonFiniteSamples() throws {
        for bad in [Float.nan, .infinity, -.infinity] {
            let (close, _) = try withBystanders { port, _ in
                let client = try WebSocketTestClient(port: port)
                try client.sendSamples([0.1, 0.2, bad, 0.3][...])
                return try client.receive()
            }
            #expect(close?.code == 1007)
            #expect(close?.reason == "sample 2 of a binary message is \(bad), not a finite number")
        }
    }

    @Test func messageOverOneMebibyte() throws {
        let (close, _) = try withBystanders { port, _ in
            let client = try WebSocketTestClient(port: port)
            // The header announces the size; the server refuses before the payload arrives.
            try client.write(WebSocketTestClient.frameHeader(opcode: 0x2, length: (1 << 20) + 4))
            let frame = try client.receive()
            try? client.write([UInt8](repeating: 0, count: (1 << 20) + 4))
            return frame
        }
        #expect(close?.code == 1009)
        #expect(close?.reason == "a message over 1048576 bytes")
    }

    @Test func messageOverOneMebibyteInFragments() throws {
        let (close, _) = try withBystanders { port, _ in
            let client = try WebSocketTestClient(port: port)
            let fragment = [UInt8](repeating: 0, count: 1 << 19)
            try client.send(opcode: 0x2, fragment, fin: false)
            try client.send(opcode: 0x0, fragment, fin: false)
            try client.send(opcode: 0x0, [0, 0, 0, 0], fin: true)
            return try client.receive()
        }
        #expect(close?.code == 1009)
    }

    @Test func clientVanishingMidUtterance() throws {
        let (close, server) = try withBystanders { port, _ in
            let client = try FixtureClient(port: port, fixture: "weather-pause-callback-16k.wav")
            try client.send(upTo: 0.6)
            client.client.vanish()
            return nil
        }
        #expect(close == nil)
        #expect(server.logs("went away before \"Done\""))
    }

    @Test func clientThatNeverSends() throws {
        var waited = 0.0
        let (close, _) = try withBystanders { port, keepTalking in
            let client = try WebSocketTestClient(port: port)
            let started = Date()
            for _ in 0..<15 {
                try keepTalking()
                Thread.sleep(forTimeInterval: 0.1)
            }
            let frame = try client.receive()
            waited = Date().timeIntervalSince(started)
            return frame
        }
        #expect(close?.code == 1008)
        #expect(close?.reason == "no message in 1 s")
        #expect(waited >= 1)
    }

    @Test func configurationAfterAudio() throws {
        let (close, _) = try withBystanders { port, _ in
            let client = try WebSocketTestClient(port: port)
            try client.sendSamples([0, 0, 0, 0][...])
            try client.sendText(#"{"sample_rate": 8000}"#)
            return try client.receive()
        }
        #expect(close?.code == 1008)
        #expect(close?.reason == "the configuration came after audio")
    }
}

/// Connections that never become WebSockets do not hold a socket either.
@Suite(.serialized) struct PlainHTTPClientTests {
    /// Sends `request` on a raw socket; returns what the server answered before closing.
    func exchange(port: Int, _ request: String) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(socket) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        _ = request.utf8CString.withUnsafeBytes { send(socket, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            answer += chunk[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    @Test func requestWithoutUpgradeGets426() throws {
        let server = try ServerProcess(["--idle-timeout", "1"])
        let answer = try exchange(port: server.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 426 Upgrade Required"))
        #expect(answer.contains("asr serve speaks WebSocket"))
    }

    @Test func connectionThatNeverSendsARequestIsClosed() throws {
        let server = try ServerProcess(["--idle-timeout", "1"])
        let started = Date()
        #expect(try exchange(port: server.port, "GET / HT") == "")
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(server.logs("no request before the idle timeout"))
    }
}
