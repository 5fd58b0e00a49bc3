// swift-tools-version: 6.0
//
// MLLab: machine learning from scratch in Swift, one module per roadmap phase.
// The module graph is described in docs/ARCHITECTURE.md.
import PackageDescription

// The numeric targets are compiled for this machine's CPU. Without
// `-target-cpu native` Swift emits baseline x86-64: a `SIMD16<Float>`
// multiply-add becomes sixteen calls to `fmaf` instead of one AVX-512 `vfmadd`.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native"]),
]

let package = Package(
    name: "MLLab",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "TensorIO", targets: ["TensorIO"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "NN", targets: ["NN"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "LabKit", targets: ["LabKit"]),
        .library(name: "LinearModels", targets: ["LinearModels"]),
        .library(name: "Trees", targets: ["Trees"]),
        .library(name: "Unsupervised", targets: ["Unsupervised"]),
        .library(name: "DeepLearning", targets: ["DeepLearning"]),
        .library(name: "Tokenizers", targets: ["Tokenizers"]),
        .library(name: "GPT", targets: ["GPT"]),
        .library(name: "FineTuning", targets: ["FineTuning"]),
        .library(name: "RL", targets: ["RL"]),
        .executable(name: "lab-tensors", targets: ["lab-tensors"]),
        .executable(name: "lab-optimizers", targets: ["lab-optimizers"]),
        .executable(name: "lab-linear", targets: ["lab-linear"]),
        .executable(name: "lab-trees", targets: ["lab-trees"]),
        .executable(name: "lab-unsupervised", targets: ["lab-unsupervised"]),
        .executable(name: "lab-deep", targets: ["lab-deep"]),
        .executable(name: "lab-gpt", targets: ["lab-gpt"]),
        .executable(name: "lab-finetune", targets: ["lab-finetune"]),
        .executable(name: "lab-rl", targets: ["lab-rl"]),
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "mllab", targets: ["mllab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation`: the DocC API reference of every library module (.ci/docs).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries: OpenBLAS (CBLAS + LAPACKE), libpng, zlib.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // No library: a header for the vector registers -target-cpu native gives, and glibc's mallopt.
        .systemLibrary(name: "CPlatform", path: "Sources/CPlatform"),

        // Phase 2 maths: storage, broadcasting, SIMD kernels, matmul, linear algebra, RNG.
        .target(name: "Tensor", dependencies: ["CBLAS", "CPlatform"], swiftSettings: numericSettings),

        // File formats: safetensors, .npy, IDX, gzip, the bounded and atomic data-file reader, typed errors.
        .target(name: "TensorIO", dependencies: ["Tensor", "CZlib"], swiftSettings: numericSettings),

        // Reverse-mode automatic differentiation over Tensor operations.
        .target(name: "Autograd", dependencies: ["Tensor"], swiftSettings: numericSettings),

        // Neural-network layers, losses, optimizers (built on Autograd).
        .target(name: "NN", dependencies: ["Autograd", "Tensor", "TensorIO"], swiftSettings: numericSettings),

        // scikit-learn's core: estimator protocols, splits, cross-validation, search, scalers, pipeline, metrics.
        .target(name: "Evaluation", dependencies: ["Tensor"], swiftSettings: numericSettings),

        // Shared by every lab: datasets, plots, the progress bar, the JSON report, lab options, timing.
        .target(
            name: "LabKit",
            dependencies: ["Tensor", "TensorIO", "Evaluation", "CPlatform", "CPNG", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: numericSettings),

        // Phase 3: linear and logistic regression, Naive Bayes (gradients derived by hand).
        .target(name: "LinearModels", dependencies: ["Tensor", "Evaluation", "CBLAS"], swiftSettings: numericSettings),

        // Phase 3: decision trees, random forests, histogram gradient boosting.
        .target(name: "Trees", dependencies: ["Tensor", "Evaluation"], swiftSettings: numericSettings),

        // Phase 3: k-means, PCA, DBSCAN, t-SNE.
        .target(name: "Unsupervised", dependencies: ["Tensor", "Evaluation", "CBLAS"], swiftSettings: numericSettings),

        // Text to token ids and back: one token per character, byte-level BPE (phases 4 and 5).
        .target(name: "Tokenizers", dependencies: ["TensorIO"], swiftSettings: numericSettings),

        // Phase 4: data loading, MLP, LeNet-5, ResNet, char-level LSTM/GRU, the training loop.
        .target(name: "DeepLearning", dependencies: ["NN", "Autograd", "Tensor", "Tokenizers", "LabKit"], swiftSettings: numericSettings),

        // Phase 5: tokenizers (characters, byte-level BPE), the mini-GPT, sampling, the KV cache.
        .target(name: "GPT", dependencies: ["NN", "Autograd", "Tensor", "Tokenizers", "LabKit"], swiftSettings: numericSettings),

        // Phases 10 and 16: LoRA, supervised fine-tuning, a reward model and DPO on the mini-GPT.
        .target(name: "FineTuning", dependencies: ["GPT", "NN", "Autograd", "Tensor", "LabKit"], swiftSettings: numericSettings),

        // Phase 16: environments with Gymnasium's dynamics, tabular and deep reinforcement learning.
        .target(name: "RL", dependencies: ["NN", "Autograd", "Tensor", "LabKit"], swiftSettings: numericSettings),

        // Labs: one executable per phase.
        .executableTarget(
            name: "lab-tensors",
            dependencies: ["Tensor", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-tensors",
            swiftSettings: numericSettings),

        .executableTarget(
            name: "lab-optimizers",
            dependencies: ["NN", "Autograd", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-optimizers",
            swiftSettings: numericSettings),

        .executableTarget(
            name: "lab-linear",
            dependencies: ["LinearModels", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-linear",
            swiftSettings: numericSettings),

        .executableTarget(
            name: "lab-trees",
            dependencies: ["Trees", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-trees",
            swiftSettings: numericSettings),

        .executableTarget(
            name: "lab-unsupervised",
            dependencies: ["Unsupervised", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-unsupervised",
            swiftSettings: numericSettings),

        .executableTarget(
            name: "lab-deep",
            dependencies: ["DeepLearning", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-deep",
            swiftSettings: numericSettings),

        .executableTarget(
            name: "lab-gpt",
            dependencies: ["GPT", "NN", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-gpt",
            swiftSettings: numericSettings),

        .executableTarget(
            name: "lab-finetune",
            dependencies: ["FineTuning", "GPT", "NN", "Autograd", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-finetune",
            swiftSettings: numericSettings),

        .executableTarget(
            name: "lab-rl",
            dependencies: ["RL", "NN", "Autograd", "Tensor", "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Labs/lab-rl",
            swiftSettings: numericSettings),

        // Notebooks written as Swift programs, one per phase, and what they and `mllab notebook` share.
        .target(name: "NotebookKit", path: "Sources/NotebookKit"),
        .executableTarget(
            name: "notebook-02-tensors",
            dependencies: ["Tensor", "LabKit", "NotebookKit"],
            path: "Notebooks-as-scripts/02-tensors",
            swiftSettings: numericSettings),
        .executableTarget(
            name: "notebook-02-autograd",
            dependencies: ["Autograd", "NN", "Tensor", "LabKit", "NotebookKit"],
            path: "Notebooks-as-scripts/02-autograd",
            swiftSettings: numericSettings),
        .executableTarget(
            name: "notebook-03-linear-models",
            dependencies: ["LinearModels", "LabKit", "Tensor", "NotebookKit"],
            path: "Notebooks-as-scripts/03-linear-models",
            swiftSettings: numericSettings),
        .executableTarget(
            name: "notebook-03-trees",
            dependencies: ["Trees", "LabKit", "Tensor", "NotebookKit"],
            path: "Notebooks-as-scripts/03-trees",
            swiftSettings: numericSettings),
        .executableTarget(
            name: "notebook-03-unsupervised",
            dependencies: ["Unsupervised", "LabKit", "Tensor", "NotebookKit"],
            path: "Notebooks-as-scripts/03-unsupervised",
            swiftSettings: numericSettings),
        .executableTarget(
            name: "notebook-04-deep-learning",
            dependencies: ["DeepLearning", "NN", "Autograd", "LabKit", "Tensor", "NotebookKit"],
            path: "Notebooks-as-scripts/04-deep-learning",
            swiftSettings: numericSettings),
        .executableTarget(
            name: "notebook-05-gpt",
            dependencies: ["GPT", "NN", "Autograd", "LabKit", "Tensor", "NotebookKit"],
            path: "Notebooks-as-scripts/05-gpt",
            swiftSettings: numericSettings),
        .executableTarget(
            name: "notebook-10-finetuning",
            dependencies: ["FineTuning", "GPT", "NN", "Autograd", "LabKit", "Tensor", "NotebookKit"],
            path: "Notebooks-as-scripts/10-finetuning",
            swiftSettings: numericSettings),
        .executableTarget(
            name: "notebook-16-reinforcement-learning",
            dependencies: ["RL", "NN", "Autograd", "LabKit", "Tensor", "NotebookKit"],
            path: "Notebooks-as-scripts/16-reinforcement-learning",
            swiftSettings: numericSettings),

        // The course's commands: notebooks.
        .target(name: "Course", path: "Sources/Course"),
        .executableTarget(
            name: "mllab",
            dependencies: ["NotebookKit", "Course", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/mllab"),

        // The benchmark runner of docs/BENCHMARKS.md.
        .executableTarget(
            name: "bench",
            dependencies: ["Tensor", "Autograd", "NN", "LabKit", "LinearModels", "Trees", "Unsupervised", "DeepLearning", "Tokenizers", "GPT", "FineTuning", "RL", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/bench",
            swiftSettings: numericSettings),

        .testTarget(name: "TensorTests", dependencies: ["Tensor"], swiftSettings: numericSettings),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "Tensor"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Autograd", "Tensor", "LabKit"]),
        .testTarget(name: "LabKitTests", dependencies: ["LabKit", "TensorIO", "Tensor"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Tensor"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "Tensor"]),
        .testTarget(name: "LinearModelsTests", dependencies: ["LinearModels", "LabKit", "Tensor"]),
        .testTarget(name: "TreesTests", dependencies: ["Trees", "LabKit", "Tensor"]),
        .testTarget(name: "UnsupervisedTests", dependencies: ["Unsupervised", "LabKit", "Tensor"]),
        .testTarget(name: "DeepLearningTests", dependencies: ["DeepLearning", "NN", "Autograd", "LabKit", "Tensor"]),
        .testTarget(name: "GPTTests", dependencies: ["GPT", "NN", "Autograd", "LabKit", "Tensor"]),
        .testTarget(name: "FineTuningTests", dependencies: ["FineTuning", "GPT", "NN", "Autograd", "LabKit", "Tensor"]),
        .testTarget(name: "RLTests", dependencies: ["RL", "Tensor"]),
        .testTarget(name: "NotebookKitTests", dependencies: ["NotebookKit"]),
        .testTarget(name: "CourseTests", dependencies: ["Course"]),

        // Grading: one test target per phase; each test grades an exercise or the phase's core (mllab grade).
        .target(name: "GradingSupport", path: "Tests/GradingSupport"),
        .testTarget(name: "Phase02Foundations", dependencies: ["Autograd", "Tensor", "GradingSupport"]),
        .testTarget(name: "Phase03ClassicalML", dependencies: ["LinearModels", "Trees", "Unsupervised", "Tensor", "GradingSupport"]),
        .testTarget(name: "Phase04DeepLearning", dependencies: ["Autograd", "NN", "Tensor", "GradingSupport"]),
        .testTarget(name: "Phase05GPT", dependencies: ["GPT", "NN", "GradingSupport"]),
        .testTarget(name: "Phase10FineTuning", dependencies: ["FineTuning", "Autograd", "Tensor", "GradingSupport"]),
        .testTarget(name: "Phase16ReinforcementLearning", dependencies: ["RL", "Autograd", "Tensor", "GradingSupport"]),
        .testTarget(name: "LabTests", dependencies: ["lab-tensors", "lab-optimizers", "lab-linear", "lab-trees", "lab-unsupervised", "lab-deep", "lab-rl", "bench", "DeepLearning", "LabKit", "RL", "Tensor"]),
    ],
    swiftLanguageModes: [.v6]
)
