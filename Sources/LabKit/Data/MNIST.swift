// MNIST: the handwritten digits (and Fashion-MNIST, which has the same layout).
//
// A data set folder holds four IDX files, each gzip-compressed (.gz) or raw:
//   train-images-idx3-ubyte   60000 × 28 × 28 pixels, 0 (background) … 255 (ink)
//   train-labels-idx1-ubyte   60000 class labels 0 … 9
//   t10k-images-idx3-ubyte    10000 × 28 × 28
//   t10k-labels-idx1-ubyte    10000 labels
// The loader scales pixels to [0, 1] (x / 255) while converting them, and
// returns labels as a Float tensor of class indices (0.0 … 9.0, exact in
// Float), the form a softmax cross-entropy takes; `labelIndices` gives them as
// Ints. Train and test are read at the same time when two cores are allowed.

import Foundation

/// The MNIST (or Fashion-MNIST) training and test sets.
public struct MNIST: Sendable {
    /// One part of the data set: images and their labels, the same count of each.
    public struct Split: Sendable {
        /// Images, shape [count, 28, 28], pixels scaled to [0, 1].
        public let images: Tensor
        /// Class labels, shape [count], each an integer 0 … 9 stored as Float.
        public let labels: Tensor

        /// Number of examples.
        public var count: Int { labels.count }

        /// The labels as Ints.
        public var labelIndices: [Int] { labels.scalars.map { Int($0) } }
    }

    /// The 60,000 training examples.
    public let train: Split
    /// The 10,000 test examples.
    public let test: Split
    /// The folder the files were read from.
    public let directory: String

    /// Number of classes: digits 0 … 9 (or the ten Fashion-MNIST garments).
    public static let classCount = 10

    /// The four file names a data set folder holds (each may also carry a ".gz" suffix).
    public static let fileNames = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ]

    /// The folder of data set `name` ("mnist" or "fashion-mnist") holding all four files, or nil.
    public static func locate(_ name: String = "mnist", using locator: DataLocator = .standard) -> String? {
        locator.directory(named: name, containing: fileNames)
    }

    /// Reads the four files of an MNIST-layout data set from `directory`.
    public static func load(directory: String) throws -> MNIST {
        func path(_ name: String) throws -> String {
            guard let path = DataLocator.existingFile(name, in: directory) else {
                throw DataError.fileNotFound(path: URL(fileURLWithPath: directory).appendingPathComponent(name).path + "[.gz]")
            }
            return path
        }
        let trainPaths = (try path(fileNames[0]), try path(fileNames[1]))
        let testPaths = (try path(fileNames[2]), try path(fileNames[3]))

        var train: Result<Split, Error>?
        var test: Result<Split, Error>?
        let work = { (part: Int) in
            if part == 0 {
                train = Result { try loadSplit(images: trainPaths.0, labels: trainPaths.1) }
            } else {
                test = Result { try loadSplit(images: testPaths.0, labels: testPaths.1) }
            }
        }
        if ComputeThreads.count > 1 {
            Parallel.forEachChunk(2, work)     // each part writes only its own variable
        } else {
            work(0)
            work(1)
        }
        return MNIST(train: try train!.get(), test: try test!.get(), directory: directory)
    }

    /// Reads one images file and its labels file, checking that they agree.
    public static func loadSplit(images imagesPath: String, labels labelsPath: String) throws -> Split {
        let images = try IDX.decode(DataFile.readDecompressing(imagesPath), path: imagesPath, dividingBy: 255)
        guard images.rank == 3 else {
            throw DataError.badHeader(path: imagesPath, position: .byte(3),
                                      reason: "expected 3 dimensions (count, rows, columns), found shape \(images.shape)")
        }
        let labels = try IDX.read(contentsOf: labelsPath)
        guard labels.rank == 1 else {
            throw DataError.badHeader(path: labelsPath, position: .byte(3),
                                      reason: "expected 1 dimension (count), found shape \(labels.shape)")
        }
        guard labels.count == images.shape[0] else {
            throw DataError.badHeader(path: labelsPath, position: .byte(4),
                                      reason: "it holds \(labels.count) labels but \(imagesPath) holds \(images.shape[0]) images")
        }
        try labels.withUnsafeBufferPointer { values in
            for (index, value) in values.enumerated()
            where !(value >= 0 && value < Float(classCount) && value.rounded() == value) {
                let text = value.rounded() == value && abs(value) < 1e9 ? "\(Int(value))" : "\(value)"
                throw DataError.badValue(path: labelsPath, position: .element(index), text: text,
                                         expected: "a class label 0…\(classCount - 1)")
            }
        }
        return Split(images: images, labels: labels)
    }
}
