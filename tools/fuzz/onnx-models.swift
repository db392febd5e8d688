import Foundation

// libFuzzer harness: ONNX models through load (the protobuf wire reader over the mapped file), specialization
// and folding, fusion and memory planning, then one run of the compiled graph on zero inputs.
// Input: the bytes of one .onnx file (seeds: the small graphs tools/make-*.py write for the runtime
// tests), written to a file in memory (/dev/shm) because the loader maps a path.

private let path = "/dev/shm/asr-fuzz-onnx-\(getpid()).onnx"

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    defer { try? FileManager.default.removeItem(atPath: path) }
    // A bad model must throw a ModelLoadError, never trap: any thrown error is a correct answer.
    guard let graph = try? CompiledGraph(path: path) else { return 0 }
    graph.run()
    return 0
}
