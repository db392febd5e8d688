import Foundation
import Testing
import TestSupport

/// Runs the built `asr` with `arguments`; returns exit status, standard output and standard error.
private func runASR(_ arguments: [String]) throws -> (status: Int32, output: Data, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fixtures.asrExecutable)
    process.arguments = arguments
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, outputData, String(decoding: errorData, as: UTF8.self))
}

/// A 16 kHz mono 16-bit PCM WAV of `count` samples of a 440 Hz tone, in a fresh temporary directory.
private func writeToneWAV(count: Int) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-features-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var data = Data("RIFF".utf8)
    func append32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { data.append(contentsOf: $0) } }
    func append16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { data.append(contentsOf: $0) } }
    append32(36 + 2 * count)
    data.append(contentsOf: Array("WAVEfmt ".utf8))
    append32(16); append16(1); append16(1); append32(16000); append32(32000); append16(2); append16(16)
    data.append(contentsOf: Array("data".utf8))
    append32(2 * count)
    for index in 0..<count {
        let value = Int16(10000 * sin(2 * Double.pi * 440 * Double(index) / 16000))
        append16(Int(UInt16(bitPattern: value)))
    }
    let path = directory.appendingPathComponent("tone.wav").path
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

@Test func featuresPrintsOneLineOf80ValuesPerFrame() throws {
    let wav = try writeToneWAV(count: 16000)
    let result = try runASR(["features", "--format", "text", wav])
    #expect(result.status == 0, "\(result.error)")
    let lines = String(decoding: result.output, as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 100)
    #expect(lines.allSatisfy { $0.split(separator: " ").count == 80 && $0.split(separator: " ").allSatisfy { Float($0)?.isFinite == true } })
}

@Test func featuresWritesAnNpyMatrix() throws {
    let wav = try writeToneWAV(count: 8000)
    let npy = (wav as NSString).deletingLastPathComponent + "/features.npy"
    let result = try runASR(["features", "--format", "npy", "--output", npy, wav])
    #expect(result.status == 0, "\(result.error)")
    let data = try Data(contentsOf: URL(fileURLWithPath: npy))
    let headerLength = Int(data[8]) | Int(data[9]) << 8
    let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
    #expect(header.contains("'descr': '<f4'") && header.contains("'shape': (50, 80)"))
    #expect(data.count == 10 + headerLength + 50 * 80 * 4)
}

@Test func featuresReportsAMissingFileOnOneLine() throws {
    let result = try runASR(["features", "/nonexistent/audio.wav"])
    #expect(result.status != 0)
    #expect(result.error.contains("/nonexistent/audio.wav"))
    #expect(result.error.split(separator: "\n").count == 1)
}
