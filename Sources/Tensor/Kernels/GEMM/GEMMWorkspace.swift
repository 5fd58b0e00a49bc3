// GEMMWorkspace: packing memory kept from one matrix product to the next.
//
// Each thread of SIMDGEMM packs into a few MiB of scratch memory (an MC×KC block
// of A and a KC×NC panel of B). Memory fresh from the operating system costs a
// page fault on the first touch of every 4 KiB page: about 2 µs each on our
// virtual machines, so 1.2 MiB of new buffer (300 faults) added 0.7 ms to a
// 512×512×512 product that otherwise takes 1.4 ms. `malloc` hands back fresh
// pages whenever the heap has moved since the last call, which in a training
// loop (tensors allocated between products) is nearly always.
//
// So buffers are not freed after a product but put back here, and the next
// product (on any thread) takes one. At most `keep` buffers are kept; a buffer
// too small for the product at hand is freed and replaced by a bigger one.

import Synchronization

enum GEMMWorkspace {
    /// One buffer: `floats` Floats, 64-byte aligned.
    struct Buffer: @unchecked Sendable {   // owned by one thread at a time: between take and give back
        let pointer: UnsafeMutablePointer<Float>
        let floats: Int
    }

    /// Buffers kept beyond this count are freed: enough for one product per core, plus one.
    static let keep = 4
    private static let idle = Mutex<[Buffer]>([])

    /// Runs `body` with a buffer of at least `floats` Floats, taken from the kept ones
    /// when one is big enough, and keeps it afterwards for the next product.
    static func withBuffer<R>(floats: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        let buffer = take(floats: floats)
        defer { giveBack(buffer) }
        return body(buffer.pointer)
    }

    private static func take(floats: Int) -> Buffer {
        let kept = idle.withLock { buffers -> Buffer? in
            if let i = buffers.firstIndex(where: { $0.floats >= floats }) { return buffers.remove(at: i) }
            return nil
        }
        if let kept { return kept }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: floats * MemoryLayout<Float>.stride, alignment: 64)
        return Buffer(pointer: raw.bindMemory(to: Float.self, capacity: floats), floats: floats)
    }

    private static func giveBack(_ buffer: Buffer) {
        let dropped = idle.withLock { buffers -> Buffer? in
            buffers.append(buffer)
            guard buffers.count > keep else { return nil }
            // Free the smallest: it is the one least likely to serve the next product.
            let smallest = buffers.indices.min { buffers[$0].floats < buffers[$1].floats }!
            return buffers.remove(at: smallest)
        }
        if let dropped { UnsafeMutableRawPointer(dropped.pointer).deallocate() }
    }
}
