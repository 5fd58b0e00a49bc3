// Finite checks: does a tensor hold NaN or ±∞?
//
//     x · 0 = 0     for every finite x
//     x · 0 = NaN   for x = ±∞ or NaN
//
// so Σᵢ xᵢ · 0 is 0 exactly when every element is finite: one multiply-add
// per element in SIMD16 lanes, with no branch in the loop. Only when that sum
// is not 0 do we walk the elements one by one to find the first bad one.
// Training loops run this over every gradient of every step, so the fast
// path matters; the slow path runs once, when training is about to stop.

extension Tensor {
    /// True when no element is NaN or ±∞.
    public var isFinite: Bool {
        withUnsafeBufferPointer { Tensor.allFinite($0) }
    }

    /// The row-major position and value of the first element that is NaN or ±∞, or nil when all are finite.
    public var firstNonFinite: (index: Int, value: Float)? {
        withUnsafeBufferPointer { buffer in
            guard !Tensor.allFinite(buffer) else { return nil }
            guard let index = buffer.firstIndex(where: { !$0.isFinite }) else { return nil }
            return (index, buffer[index])
        }
    }

    /// Σ xᵢ · 0 == 0, sixteen lanes at a time.
    static func allFinite(_ buffer: UnsafeBufferPointer<Float>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let zero = SIMD16<Float>(repeating: 0)
        var lanes = zero
        var i = 0
        while i + 16 <= buffer.count {
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<Float>.self)
            lanes.addProduct(x, zero)
            i += 16
        }
        var tail: Float = 0
        while i < buffer.count {
            tail += base[i] * 0
            i += 1
        }
        return lanes.sum() + tail == 0
    }
}
