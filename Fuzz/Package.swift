// swift-tools-version:5.3
//
// MLLab's fuzz harnesses: one libFuzzer executable per reader of outside input.
// A package of its own, so that the main package's normal build stays free of
// sanitizer flags. Build it with the fuzzer and address sanitizer (Fuzz/run.sh):
//   swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Tools version 5.3 on purpose: from 5.5 on, SwiftPM links an executable target's
// `main` to a symbol its main.swift only has without -parse-as-library, and
// libFuzzer brings its own `main` (which calls LLVMFuzzerTestOneInput).
// With 5.3, a target whose folder holds a main.swift is an executable.
import PackageDescription

/// One harness: `Sources/<name>/main.swift` linked against the given MLLab products.
func harness(_ name: String, _ products: [String]) -> Target {
    .target(name: name,
            dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "MLLab") },
            path: "Sources/\(name)")
}

let package = Package(
    name: "MLLabFuzz",
    dependencies: [.package(name: "MLLab", path: "..")],
    targets: [
        // Shared by every harness: bytes to Data, thrown errors ignored, seed files written on request.
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        harness("fuzz-idx", ["TensorIO", "Tensor"]),
        harness("fuzz-csv", ["LabKit"]),
        harness("fuzz-npy", ["TensorIO", "Tensor"]),
        harness("fuzz-safetensors", ["TensorIO", "Tensor"]),
        harness("fuzz-bpe-vocabulary", ["Tokenizers"]),
        harness("fuzz-checkpoint", ["DeepLearning"]),
        harness("fuzz-gpt-checkpoint", ["GPT", "LabKit"]),
        harness("fuzz-adapter", ["FineTuning", "GPT", "LabKit"]),
    ]
)
