// Tensor: an n-dimensional array of Float.
//
// A tensor of shape [d0, d1, ..., d(r-1)] stores d0·d1·…·d(r-1) Floats in
// row-major order: element (i0, …, i(r-1)) lives at offset Σ_k i_k · stride_k,
// where stride_(r-1) = 1 and stride_k = stride_(k+1) · d(k+1). Rank 0 is a
// scalar (shape [], one element).
//
// Tensor is a value type with copy-on-write storage: `let b = a` costs nothing,
// and the first write to `b` copies the Floats so that `a` never changes.
// Every tensor is contiguous: operations that change the order of elements
// (transpose, permute, slicing) write a new tensor. This keeps every kernel a
// plain loop over memory, which is what a learner should read first.

import Foundation

/// An n-dimensional, row-major array of `Float` with value semantics.
public struct Tensor: @unchecked Sendable {
    /// The size of each axis, outermost first.
    public private(set) var shape: [Int]
    /// The shared memory; copied before a write when another tensor shares it.
    @usableFromInline var storage: TensorStorage

    /// Number of axes.
    @inlinable public var rank: Int { shape.count }
    /// Number of elements (the product of `shape`; 1 for a scalar).
    @inlinable public var count: Int { storage.count }

    /// Row-major strides in elements: how far to move in memory for +1 on each axis.
    public var strides: [Int] { Tensor.rowMajorStrides(shape) }

    // MARK: Creation from memory

    /// A tensor over existing storage (no copy). `storage.count` must equal the shape's product.
    init(shape: [Int], storage: TensorStorage) {
        self.shape = shape
        self.storage = storage
    }

    /// An uninitialised tensor: every element must be written before it is read.
    public init(uninitializedShape shape: [Int]) {
        let count = Tensor.elementCount(shape, op: "Tensor(uninitializedShape:)")
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: count))
    }

    /// A tensor of `shape` with every element equal to `value`.
    public init(shape: [Int], repeating value: Float) {
        let count = Tensor.elementCount(shape, op: "Tensor(shape:repeating:)")
        self.init(shape: shape, storage: TensorStorage(count: count, repeating: value))
    }

    /// A tensor of `shape` holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        let count = Tensor.elementCount(shape, op: "Tensor(shape:scalars:)")
        precondition(scalars.count == count,
                     "Tensor(shape:scalars:): shape \(shape) needs \(count) scalars, got \(scalars.count)")
        let storage = TensorStorage(uninitializedCount: count)
        scalars.withUnsafeBufferPointer { source in
            if count > 0 { storage.pointer.initialize(from: source.baseAddress!, count: count) }
        }
        self.init(shape: shape, storage: storage)
    }

    /// A tensor of `shape` whose elements are `body(offset)` for each row-major offset.
    public init(shape: [Int], generator body: (Int) -> Float) {
        var tensor = Tensor(uninitializedShape: shape)
        tensor.withUnsafeMutableBufferPointer { out in
            for i in 0..<out.count { out[i] = body(i) }
        }
        self = tensor
    }

    /// A rank-0 tensor holding one number.
    public init(_ scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// A vector (rank 1).
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A matrix (rank 2) from its rows; every row must have the same length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        for (i, row) in rows.enumerated() {
            precondition(row.count == columns,
                         "Tensor([[Float]]): row \(i) has \(row.count) columns, row 0 has \(columns)")
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A rank-3 tensor from nested arrays; every inner array must have the same length.
    public init(_ planes: [[[Float]]]) {
        let matrices = planes.map { Tensor($0) }
        let inner = matrices.first?.shape ?? [0, 0]
        for (i, m) in matrices.enumerated() {
            precondition(m.shape == inner, "Tensor([[[Float]]]): plane \(i) has shape \(m.shape), plane 0 has \(inner)")
        }
        self.init(shape: [planes.count] + inner, scalars: matrices.flatMap { $0.scalars })
    }

    // MARK: Reading and writing elements

    /// All elements in row-major order.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// The single element of a tensor with one element (a scalar or any shape of count 1).
    public var item: Float {
        precondition(count == 1, "Tensor.item: needs exactly one element, shape is \(shape)")
        return storage.pointer[0]
    }

    /// Reads the buffer of Floats in row-major order.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
        }
    }

    /// Writes the buffer of Floats in row-major order, copying it first if it is shared.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy()
        }
        return try withExtendedLifetime(storage) {
            try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
        }
    }

    /// Row-major offset of a multi-index, with bounds checks (negative indices count from the end).
    public func offset(of indices: [Int]) -> Int {
        precondition(indices.count == rank, "Tensor subscript: \(indices.count) indices for shape \(shape)")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            let size = shape[axis]
            let i = index < 0 ? index + size : index
            precondition(i >= 0 && i < size, "Tensor subscript: index \(index) out of range for axis \(axis) of shape \(shape)")
            offset = offset * size + i
        }
        return offset
    }

    /// One element by its multi-index: `t[1, 2]`. Not for hot loops.
    public subscript(indices: Int...) -> Float {
        get { storage.pointer[offset(of: indices)] }
        set {
            let o = offset(of: indices)
            withUnsafeMutableBufferPointer { $0[o] = newValue }
        }
    }

    // MARK: Shape helpers

    /// Product of the sizes, checking that none is negative.
    public static func elementCount(_ shape: [Int], op: String) -> Int {
        var count = 1
        for size in shape {
            precondition(size >= 0, "\(op): negative size in shape \(shape)")
            count *= size
        }
        return count
    }

    /// Row-major strides of a shape.
    public static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// Turns a possibly negative axis into 0..<rank, stopping with a message otherwise.
    public func normalizedAxis(_ axis: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(op): axis \(axis) out of range for shape \(shape)")
        return a
    }

    /// The same elements under a new shape with the same count (no copy). One size may be -1: it is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var shape = newShape
        let unknown = shape.indices.filter { shape[$0] == -1 }
        precondition(unknown.count <= 1, "reshaped: more than one -1 in \(newShape)")
        if let u = unknown.first {
            let known = shape.enumerated().filter { $0.offset != u }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "reshaped: cannot reshape \(self.shape) to \(newShape)")
            shape[u] = count / known
        }
        precondition(Tensor.elementCount(shape, op: "reshaped") == count,
                     "reshaped: cannot reshape \(self.shape) (\(count) elements) to \(newShape)")
        return Tensor(shape: shape, storage: storage)
    }

    /// Same as `reshaped`, with the shape as variadic sizes: `t.reshaped(2, -1)`.
    public func reshaped(_ sizes: Int...) -> Tensor { reshaped(sizes) }

    /// The elements as a vector.
    public func flattened() -> Tensor { reshaped([count]) }

    /// True when both tensors have the same shape and exactly the same elements.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

extension Tensor: Equatable {}

extension Tensor: CustomStringConvertible {
    /// Prints like NumPy: nested brackets, at most 6 numbers per axis (the first and last 3).
    public var description: String {
        if rank == 0 { return "\(item)" }
        let values = scalars
        let strides = self.strides
        func render(_ axis: Int, _ base: Int) -> String {
            let size = shape[axis]
            let shown: [Int] = size > 6 ? Array(0..<3) + [-1] + Array((size - 3)..<size) : Array(0..<size)
            let parts = shown.map { i -> String in
                if i < 0 { return "…" }
                if axis == rank - 1 {
                    let v = values[base + i]
                    return String(format: "%.4g", Double(v))
                }
                return render(axis + 1, base + i * strides[axis])
            }
            let separator = axis == rank - 1 ? ", " : ",\n" + String(repeating: " ", count: axis + 1)
            return "[" + parts.joined(separator: separator) + "]"
        }
        return "Tensor(shape: \(shape))\n" + render(0, 0)
    }
}
