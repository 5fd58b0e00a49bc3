import Foundation
import Testing
@testable import LabKit

@Suite struct MNISTTests {
    /// Writes a small MNIST-layout folder: `trainCount` and `testCount` 28×28 images whose
    /// pixel (i, r, c) is (i + r + c) mod 256, and labels i mod 10. Some files are gzip, some raw.
    static func writeSmallDataSet(in folder: TemporaryFolder, trainCount: Int = 3, testCount: Int = 2,
                                  labelOverride: [UInt8]? = nil) {
        func images(_ count: Int) -> [UInt8] {
            let pixels = (0..<count).flatMap { i in (0..<28).flatMap { r in (0..<28).map { c in UInt8((i + r + c) % 256) } } }
            return idxBytes(type: 0x08, shape: [UInt32(count), 28, 28], payload: pixels)
        }
        func labels(_ count: Int) -> [UInt8] {
            idxBytes(type: 0x08, shape: [UInt32(count)], payload: labelOverride ?? (0..<count).map { UInt8($0 % 10) })
        }
        folder.write(Gzip.compress(Data(images(trainCount))), to: "train-images-idx3-ubyte.gz")
        folder.write(labels(trainCount), to: "train-labels-idx1-ubyte")
        folder.write(images(testCount), to: "t10k-images-idx3-ubyte")
        folder.write(Gzip.compress(Data(labels(testCount))), to: "t10k-labels-idx1-ubyte.gz")
    }

    @Test func loadsAndScalesASmallDataSet() throws {
        let folder = TemporaryFolder()
        Self.writeSmallDataSet(in: folder, trainCount: 3, testCount: 2)
        let mnist = try MNIST.load(directory: folder.path)
        #expect(mnist.train.images.shape == [3, 28, 28])
        #expect(mnist.test.images.shape == [2, 28, 28])
        #expect(mnist.train.labels.shape == [3])
        #expect(mnist.train.labelIndices == [0, 1, 2])
        #expect(mnist.test.labels.scalars == [0, 1])
        #expect(mnist.train.images[2, 27, 27] == Float(2 + 27 + 27) / 255)
        #expect(mnist.test.images[0, 0, 0] == 0)
        #expect(mnist.directory == folder.path)
    }

    @Test func labelOutOfRangeIsReported() {
        let folder = TemporaryFolder()
        Self.writeSmallDataSet(in: folder, trainCount: 3, testCount: 3, labelOverride: [1, 12, 3])
        let error = expectDataError(.badValue) { try MNIST.load(directory: folder.path) }
        if case .badValue(_, let position, let text, _)? = error {
            #expect(position == .element(1))
            #expect(text == "12")
        }
    }

    @Test func imageAndLabelCountsMustAgree() {
        let folder = TemporaryFolder()
        Self.writeSmallDataSet(in: folder, trainCount: 3, testCount: 2)
        folder.write(idxBytes(type: 0x08, shape: [4], payload: [0, 1, 2, 3]), to: "train-labels-idx1-ubyte")
        let error = expectDataError(.badHeader) { try MNIST.load(directory: folder.path) }
        #expect(error?.path == folder.file("train-labels-idx1-ubyte"))
    }

    @Test func imagesMustHaveThreeDimensions() {
        let folder = TemporaryFolder()
        Self.writeSmallDataSet(in: folder)
        folder.write(idxBytes(type: 0x08, shape: [2, 4], payload: [UInt8](repeating: 0, count: 8)), to: "t10k-images-idx3-ubyte")
        expectDataError(.badHeader) { try MNIST.load(directory: folder.path) }
    }

    @Test func missingFileIsReported() throws {
        let folder = TemporaryFolder()
        Self.writeSmallDataSet(in: folder)
        try FileManager.default.removeItem(atPath: folder.file("t10k-labels-idx1-ubyte.gz"))
        let error = expectDataError(.fileNotFound) { try MNIST.load(directory: folder.path) }
        #expect(error?.path.contains("t10k-labels-idx1-ubyte") == true)
    }

    @Test func loadsTheSameWithOneThread() throws {
        let folder = TemporaryFolder()
        Self.writeSmallDataSet(in: folder, trainCount: 4, testCount: 3)
        let parallel = try MNIST.load(directory: folder.path)
        let saved = ComputeThreads.count
        ComputeThreads.set(1)
        defer { ComputeThreads.set(saved) }
        let serial = try MNIST.load(directory: folder.path)
        #expect(parallel.train.images == serial.train.images)
        #expect(parallel.test.labels == serial.test.labels)
    }

    // MARK: Real data (only with MLLAB_DATA)

    @Test(.enabled(if: TestEnvironment.realDataSet("mnist") != nil, "needs MLLAB_DATA with mnist/"))
    func realMNISTHasTheKnownShapeAndLabels() throws {
        let folder = try #require(TestEnvironment.realDataSet("mnist"))
        let start = Date()
        let mnist = try MNIST.load(directory: folder)
        print("MNIST.load (train + test) took \(String(format: "%.3f", Date().timeIntervalSince(start))) s")

        #expect(mnist.train.images.shape == [60000, 28, 28])
        #expect(mnist.test.images.shape == [10000, 28, 28])
        let trainLabels = mnist.train.labelIndices
        #expect(trainLabels.prefix(3) == [5, 0, 4])
        var counts = [Int](repeating: 0, count: 10)
        for label in trainLabels { counts[label] += 1 }
        #expect(counts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        var testCounts = [Int](repeating: 0, count: 10)
        for label in mnist.test.labelIndices { testCounts[label] += 1 }
        #expect(testCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])

        // The mean pixel, 0.1307, is the number every MNIST normalisation uses.
        let mean = mnist.train.images.withUnsafeBufferPointer { $0.reduce(0.0) { $0 + Double($1) } } / Double(60000 * 784)
        #expect(abs(mean - 0.130660) < 1e-5)
        let (low, high) = mnist.train.images.withUnsafeBufferPointer { ($0.min(), $0.max()) }
        #expect(low == 0 && high == 1)
        // The first training image (a 5) has 27,525 / 255 units of ink.
        let ink = mnist.train.images.withUnsafeBufferPointer { $0.prefix(784).reduce(0, +) }
        #expect(abs(ink - 27525 / 255) < 1e-2)
    }

    @Test(.enabled(if: TestEnvironment.realDataSet("fashion-mnist") != nil, "needs MLLAB_DATA with fashion-mnist/"))
    func realFashionMNISTIsBalanced() throws {
        let folder = try #require(TestEnvironment.realDataSet("fashion-mnist"))
        let fashion = try MNIST.load(directory: folder)
        #expect(fashion.train.images.shape == [60000, 28, 28])
        #expect(fashion.train.labelIndices.first == 9)     // an ankle boot
        var counts = [Int](repeating: 0, count: 10)
        for label in fashion.test.labelIndices { counts[label] += 1 }
        #expect(counts == [Int](repeating: 1000, count: 10))
    }

    @Test(.enabled(if: TestEnvironment.realDataSet("mnist") != nil, "needs MLLAB_DATA with mnist/"))
    func realTrainImagesReadAsRawPixels() throws {
        let folder = try #require(TestEnvironment.realDataSet("mnist"))
        let images = try IDX.read(contentsOf: folder + "/train-images-idx3-ubyte.gz")
        #expect(images.shape == [60000, 28, 28])
        let first = images.withUnsafeBufferPointer { Array($0.prefix(784)) }
        #expect(first.max() == 255)
        #expect(first.reduce(0, +) == 27525)
    }
}

@Suite struct DataLocatorTests {
    @Test func searchesRootsInOrderAndNeedsEveryFile() throws {
        let first = TemporaryFolder(), second = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: first.file("mnist"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: second.file("mnist"), withIntermediateDirectories: true)
        // Only the second root has all the files (one compressed, one not).
        _ = FileManager.default.createFile(atPath: first.file("mnist/a"), contents: Data([1]))
        _ = FileManager.default.createFile(atPath: second.file("mnist/a.gz"), contents: Data([1]))
        _ = FileManager.default.createFile(atPath: second.file("mnist/b"), contents: Data([1]))

        let locator = DataLocator(roots: [first.path, second.path])
        #expect(locator.directory(named: "mnist", containing: ["a", "b"]) == second.file("mnist"))
        #expect(locator.directory(named: "mnist") == first.file("mnist"))
        #expect(locator.directory(named: "cifar") == nil)
        #expect(locator.file("mnist/a") == first.file("mnist/a"))
        #expect(locator.file("mnist/b") == second.file("mnist/b"))
        #expect(locator.file("mnist/c") == nil)
    }

    @Test func environmentVariableComesFirst() {
        let roots = DataLocator.standardRoots(environment: ["MLLAB_DATA": "/data/sets"], currentDirectory: "/work/project")
        #expect(roots.first == "/data/sets")
        #expect(roots.contains("/work/project/Data"))
        #expect(roots.last?.hasSuffix("/Data") == true)
        let withoutVariable = DataLocator.standardRoots(environment: [:], currentDirectory: "/work/project")
        #expect(withoutVariable.first == "/work/project/Data")
    }

    @Test func absentDataSetIsNil() {
        let empty = TemporaryFolder()
        #expect(MNIST.locate("mnist", using: DataLocator(roots: [empty.path, empty.file("missing")])) == nil)
    }
}
