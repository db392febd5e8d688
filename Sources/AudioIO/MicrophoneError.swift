/// Why capture from an ALSA device failed; `description` is one line naming the device and the cause.
public struct MicrophoneError: Error, CustomStringConvertible, Equatable {
    public enum Cause: Equatable, Sendable {
        case noSuchDevice(String)
        case busy
        case noUsableFormat(String)
        case configuration(String)
        case disconnected
        case captureFailed(String)
    }

    public let device: String
    public let cause: Cause

    public init(device: String, cause: Cause) {
        self.device = device
        self.cause = cause
    }

    public var description: String {
        let reason: String
        switch cause {
        case .noSuchDevice(let detail): reason = "no such capture device (\(detail))"
        case .busy: reason = "device is busy (another program is capturing from it)"
        case .noUsableFormat(let detail): reason = "device offers no usable capture format (\(detail))"
        case .configuration(let detail): reason = "cannot configure capture: \(detail)"
        case .disconnected: reason = "device was disconnected during capture"
        case .captureFailed(let detail): reason = "capture failed: \(detail)"
        }
        return "ALSA device '\(device)': \(reason)"
    }
}
