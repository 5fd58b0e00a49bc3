// SortKeys: sorting a node's rows by one feature, as 64-bit keys.
//
// A float x is mapped to 32 bits whose unsigned order is the order of x:
//     x ≥ 0:  bits(x) | 0x8000_0000      (positives above every negative)
//     x < 0:  ~bits(x)                   (more negative = smaller)
// (−0 is first turned into +0, by adding 0, so that the two compare equal.) The key of row i
// is that value in the high 32 bits and i in the low 32, so sorting the keys
// sorts the rows by x and carries each row's index along. Large arrays use a
// least-significant-digit radix sort on the high 32 bits (three passes of
// 11, 11 and 10 bits, each a stable counting sort, skipped when every key
// has the same digit); small ones insertion sort or Swift's comparison sort.

enum SortKeys {
    /// 32 bits whose unsigned order is the order of `x` (not NaN).
    @inline(__always)
    static func orderedBits(_ x: Float) -> UInt32 {
        let bits = (x + 0).bitPattern          // −0 + 0 = +0
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// Sorts `keys[0..<count]` by their high 32 bits (stably for radix, by full key otherwise);
    /// `scratch` must hold `count` keys.
    static func sort(_ keys: UnsafeMutablePointer<UInt64>, count: Int, scratch: UnsafeMutablePointer<UInt64>) {
        if count < 256 {
            insertionOrIntroSort(keys, count: count)
            return
        }
        let histogram = UnsafeMutablePointer<Int>.allocate(capacity: 5120)
        defer { histogram.deallocate() }
        histogram.initialize(repeating: 0, count: 5120)
        for p in 0..<count {
            let high = keys[p] >> 32
            histogram[Int(high & 2047)] += 1
            histogram[2048 + Int((high >> 11) & 2047)] += 1
            histogram[4096 + Int(high >> 22)] += 1
        }
        var source = keys, target = scratch
        for pass in 0..<3 {
            let counts = histogram + 2048 * pass
            let shift = UInt64(32 + 11 * pass)
            let mask: UInt64 = pass == 2 ? 1023 : 2047
            // Skip a digit that every key shares.
            if counts[Int((source[0] >> shift) & mask)] == count { continue }
            var offset = 0
            for b in 0...Int(mask) { let c = counts[b]; counts[b] = offset; offset += c }
            for p in 0..<count {
                let key = source[p]
                let b = Int((key >> shift) & mask)
                target[counts[b]] = key
                counts[b] += 1
            }
            swap(&source, &target)
        }
        if source != keys { keys.update(from: source, count: count) }
    }

    /// Sorts a short run of keys in place by their full value.
    private static func insertionOrIntroSort(_ keys: UnsafeMutablePointer<UInt64>, count: Int) {
        if count <= 32 {
            for p in 1..<Swift.max(count, 1) {
                let key = keys[p]
                var q = p
                while q > 0 && keys[q - 1] > key { keys[q] = keys[q - 1]; q -= 1 }
                keys[q] = key
            }
            return
        }
        var buffer = UnsafeMutableBufferPointer(start: keys, count: count)
        buffer.sort()
    }
}
