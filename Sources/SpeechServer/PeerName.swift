import NIOCore

extension Channel {
    /// The client's address as log lines name it: `127.0.0.1:56542`, `[::1]:56542`.
    var peerName: String {
        guard let address = remoteAddress, let ip = address.ipAddress, let port = address.port else { return "client" }
        return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
