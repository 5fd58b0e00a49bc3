// HeapReuse: keep freed tensor memory in the process instead of returning it.
//
// A training step allocates and frees the same large tensors every time (an
// LSTM's gates for a whole sequence are 8 MiB). glibc's malloc serves blocks
// above its mmap threshold (128 KiB at first) with fresh pages from the
// operating system and unmaps them on free, and trims the heap's top when more
// than 128 KiB is free there. Fresh pages cost a page fault and a zeroing pass
// on first touch (about 2 µs per 4 KiB here): in the char-LSTM benchmark 14%
// of the time was spent in the kernel doing that. Raising both thresholds once
// (mmap at 32 MiB, glibc's largest; trim at 1 GiB) lets freed blocks be reused
// by the next step: the run's minor page faults fell from 216 000 to 56 000
// and its time by 5-10%. PyTorch's CPU allocator leaves this to malloc as well,
// so the comparison stays fair. The resident size then stays at the peak of a
// step instead of rising and falling within it.

import CPlatform

enum HeapReuse {
    /// Evaluated once, by the first tensor allocation.
    static let isConfigured: Bool = {
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
        return true
    }()
}
