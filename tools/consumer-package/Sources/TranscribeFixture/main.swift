// Transcribes one file with the model in $ASR_MODEL through the library product, as the README's
// library example does.
import Foundation
import Recognizer

let arguments = CommandLine.arguments
guard arguments.count == 2, let model = ProcessInfo.processInfo.environment["ASR_MODEL"] else {
    FileHandle.standardError.write(Data("usage: ASR_MODEL=DIR TranscribeFixture FILE\n".utf8))
    exit(2)
}
do {
    let recognizer = try Recognizer(modelDirectory: model,
                                    configuration: RecognizerConfiguration(decoding: .modifiedBeam(paths: 4)))
    print(try recognizer.transcribe(path: arguments[1]).text)
} catch {
    FileHandle.standardError.write(Data("TranscribeFixture: \(error)\n".utf8))
    exit(1)
}
