// ScratchPool: temporary buffers kept from one kernel call to the next.
//
// Some kernels need megabytes of scratch per call: the matrix product packs an
// MC×KC block of A and a KC×NC panel of B per thread, conv2d writes its im2col
// matrix and the product before it is reordered. Memory fresh from the
// operating system costs a page fault on the first touch of every 4 KiB page
// (about 2 µs each on our virtual machines: 1.2 MiB of new buffer, 300 faults,
// added 0.7 ms to a 512×512×512 product that otherwise takes 1.4 ms), and in a
// training loop `malloc` hands back fresh pages nearly every time, because the
// heap has moved since the last call. A small convolutional net spent more time
// faulting pages in than multiplying.
//
// So buffers are not freed after use but put back in a pool, and the next call
// (on any thread) takes the smallest kept buffer that is big enough. At most
// `keep` buffers are kept; beyond that the smallest is freed, being the one
// least likely to serve the next call. Each kernel family has its own pool, so
// that one family's large buffers do not crowd out the other's.

/// A thread-safe pool of reusable, 64-byte aligned Float buffers.
public final class ScratchPool: Sendable {
    /// One buffer of `floats` Floats, owned by one caller between take and give back.
    struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Float>
        let floats: Int
    }

    /// The packing buffers of the matrix-multiply kernel (SIMDGEMM).
    public static let matrixProduct = ScratchPool(keep: 4)
    /// The im2col and product buffers of the convolution ops.
    public static let convolution = ScratchPool(keep: 4)

    /// Buffers kept beyond this count are freed: enough for one call per core, plus one.
    public let keep: Int
    private let idle = PthreadLock<[Buffer]>([])   // not Mutex: see PthreadLock.swift

    /// A pool that keeps at most `keep` idle buffers.
    public init(keep: Int) {
        precondition(keep >= 1, "ScratchPool: keep must be at least 1, got \(keep)")
        self.keep = keep
    }

    /// Runs `body` with an uninitialized buffer of at least `floats` Floats, and keeps it afterwards.
    public func withBuffer<R>(floats: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let buffer = take(floats: Swift.max(floats, 1))
        defer { giveBack(buffer) }
        return try body(buffer.pointer)
    }

    private func take(floats: Int) -> Buffer {
        let kept = idle.withLock { buffers -> Buffer? in
            let fits = buffers.indices.filter { buffers[$0].floats >= floats }
            guard let best = fits.min(by: { buffers[$0].floats < buffers[$1].floats }) else { return nil }
            return buffers.remove(at: best)
        }
        if let kept { return kept }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: floats * MemoryLayout<Float>.stride, alignment: 64)
        return Buffer(pointer: raw.bindMemory(to: Float.self, capacity: floats), floats: floats)
    }

    private func giveBack(_ buffer: Buffer) {
        let dropped = idle.withLock { buffers -> Buffer? in
            buffers.append(buffer)
            guard buffers.count > keep else { return nil }
            let smallest = buffers.indices.min { buffers[$0].floats < buffers[$1].floats }!
            return buffers.remove(at: smallest)
        }
        if let dropped { UnsafeMutableRawPointer(dropped.pointer).deallocate() }
    }
}
