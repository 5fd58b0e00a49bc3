// TensorStorage: the memory behind a Tensor.
//
// One contiguous, 64-byte aligned block of `count` Floats (64 bytes = one
// cache line = one AVX-512 register), freed when the last Tensor that shares
// it goes away. Tensor is a value type; it shares a storage until one of the
// copies is written to, and then copies it first (copy-on-write).

/// The reference-counted block of memory a `Tensor` reads and writes.
public final class TensorStorage: @unchecked Sendable {
    /// First element; aligned to 64 bytes.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of Floats in the block.
    public let count: Int

    /// Allocates `count` Floats, uninitialised.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "TensorStorage: negative count \(count)")
        _ = HeapReuse.isConfigured   // freed blocks stay in the heap for the next step (HeapReuse.swift)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        self.pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
    }

    /// Allocates `count` Floats, all set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// A new block holding the same Floats.
    public func copy() -> TensorStorage {
        let other = TensorStorage(uninitializedCount: count)
        other.pointer.update(from: pointer, count: count)
        return other
    }

    deinit {
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}
