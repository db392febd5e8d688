import Features
import Foundation
import Testing

@Test func npyEncodingRoundTripsThroughTheReader() throws {
    let values: [Float] = [0, -1.5, 3.25, .ulpOfOne, 1e-30, 7, 8, 9]
    let data = NPYEncoding.float32(values, shape: [2, 4])
    let headerLength = Int(data[8]) | Int(data[9]) << 8
    #expect((10 + headerLength) % 64 == 0)
    #expect(data[10 + headerLength - 1] == UInt8(ascii: "\n"))
    let decoded = try NPYArray(data: data)
    #expect(decoded.shape == [2, 4])
    #expect(decoded.floats == values)
    #expect(try NPYArray(data: NPYEncoding.float32([1, 2, 3], shape: [3])).shape == [3])
}
