// ScratchMemory: temporary buffers kept from one op to the next.
//
// conv2d needs a few MB of scratch per call (the im2col matrix and the product
// before it is reordered). Memory fresh from the operating system costs a page
// fault on the first touch of every 4 KiB page (about 2 µs each here), and large
// allocations come fresh from the system nearly every time, so a training step of a
// small convolutional net spent more time faulting pages in than multiplying.
// Buffers are therefore put back here after use and handed to the next op that
// asks (on any thread); at most `keep` are kept, a buffer too small is replaced.

import Synchronization

enum ScratchMemory {
    /// One buffer of `floats` Floats, 64-byte aligned, owned by one caller between take and give back.
    struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Float>
        let floats: Int
    }

    /// Buffers kept beyond this count are freed.
    static let keep = 4
    private static let idle = Mutex<[Buffer]>([])

    /// Runs `body` with an uninitialized buffer of at least `floats` Floats.
    static func withBuffer<R>(floats: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let buffer = take(floats: Swift.max(floats, 1))
        defer { giveBack(buffer) }
        return try body(buffer.pointer)
    }

    private static func take(floats: Int) -> Buffer {
        let kept = idle.withLock { buffers -> Buffer? in
            // The smallest buffer that is big enough.
            let fits = buffers.indices.filter { buffers[$0].floats >= floats }
            guard let best = fits.min(by: { buffers[$0].floats < buffers[$1].floats }) else { return nil }
            return buffers.remove(at: best)
        }
        if let kept { return kept }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: floats * MemoryLayout<Float>.stride, alignment: 64)
        return Buffer(pointer: raw.bindMemory(to: Float.self, capacity: floats), floats: floats)
    }

    private static func giveBack(_ buffer: Buffer) {
        let dropped = idle.withLock { buffers -> Buffer? in
            buffers.append(buffer)
            guard buffers.count > keep else { return nil }
            let smallest = buffers.indices.min { buffers[$0].floats < buffers[$1].floats }!
            return buffers.remove(at: smallest)
        }
        if let dropped { UnsafeMutableRawPointer(dropped.pointer).deallocate() }
    }
}
