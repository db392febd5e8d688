// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "asr",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "asr", targets: ["asr"]),
        .library(name: "ASR", targets: ["AudioIO", "Features", "ModelRuntime", "Recognizer", "Evaluation"]),
        // Preloaded (LD_PRELOAD) by whoever wants heap allocations counted, e.g. `asr bench`: the
        // shipped executable keeps glibc's allocator untouched.
        .library(name: "AllocationCounter", type: .dynamic, targets: ["CAllocationCounter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        // `asr serve`: the WebSocket server (NIOWebSocket over NIOHTTP1's upgrade).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Benchmarks only (`swift package benchmark`); its malloc interposer counts allocations there.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // System libraries, called directly from Swift.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),

        // CPU feature detection (cpuid) and the AVX2 + FMA (and AVX512-VNNI) twins of the hot
        // Swift loops, compiled per function with target attributes: no target needs build flags.
        .target(name: "CKernels"),

        // Pipeline stages, in data-flow order.
        .target(name: "AudioIO", dependencies: ["CSndFile", "CALSA"]),
        .target(name: "Features"),
        // Not named `Runtime`: that module name belongs to the Swift toolchain (backtracing), and a
        // package embedding both could not tell them apart.
        .target(
            name: "ModelRuntime",
            dependencies: ["CKernels"]
        ),
        .target(name: "Recognizer", dependencies: ["AudioIO", "Features", "ModelRuntime"]),
        .target(name: "Evaluation", dependencies: ["Recognizer"]),
        // `asr serve`: sherpa-onnx's online WebSocket protocol over swift-nio, one stream per connection.
        .target(
            name: "SpeechServer",
            dependencies: [
                "AudioIO", "Recognizer",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        // Interposes malloc and friends to count heap allocations per thread: linked into tests,
        // preloaded as libAllocationCounter.so for `asr bench`.
        .target(name: "CAllocationCounter"),
        .executableTarget(
            name: "asr",
            dependencies: [
                "AudioIO", "Features", "ModelRuntime", "Recognizer", "Evaluation", "SpeechServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Hours of audio through one stream: memory, allocations, chunk times, segments (`tools/soak`).
        .executableTarget(
            name: "Soak",
            dependencies: ["AudioIO", "Recognizer", "Evaluation", "CAllocationCounter"]
        ),
        // Times our FFT and fbank against FFTW in the same run (`swift run -c release FeatureBenchmark`).
        .executableTarget(
            name: "FeatureBenchmark",
            dependencies: ["Features", "CFFTW"]
        ),
        // Kernels and the encoder per chunk in both execution modes (`swift package benchmark`).
        .executableTarget(
            name: "RuntimeBenchmarks",
            dependencies: ["ModelRuntime", "CKernels", "Recognizer", "TestSupport", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/RuntimeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

        // Tests, one target per stage, sharing fixture lookup.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "AudioIO", "CAllocationCounter", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RuntimeTests", dependencies: ["ModelRuntime", "CKernels", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RecognizerTests", dependencies: ["Recognizer", "CAllocationCounter", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["Fixtures"]),
        // Runs `asr serve` on loopback and talks to it with a raw WebSocket client (bad frames included).
        .testTarget(name: "ServerTests", dependencies: ["SpeechServer", "AudioIO", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
