import Foundation

// libFuzzer harness: a WebSocket client's messages to `asr serve` (ClientMessage), as text and as
// binary. Input: the first byte's low bit picks text or binary; the rest is the message.
// A message either parses to what it says or is refused with a close reason that fits a close frame.

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    do {
        let message = data[0] & 1 == 0
            ? try ClientMessage(text: body)
            : try ClientMessage(binary: body)
        switch message {
        case .samples(let samples):
            precondition(data[0] & 1 == 1 && samples.count * 4 == body.count && samples.allSatisfy(\.isFinite))
        case .configuration(let sampleRate, let hotwords):
            precondition(sampleRate.map(ClientMessage.sampleRates.contains) ?? (hotwords != nil))
        case .done:
            precondition(body.elementsEqual("Done".utf8))
        }
    } catch {
        precondition(!error.reason.isEmpty && error.reason.utf8.count <= 123)
    }
    return 0
}
