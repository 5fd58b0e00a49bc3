// What Swift cannot ask for directly: the vector unit the compiler targets,
// glibc's malloc tuning (HeapReuse.swift) and statistics (ResidentMemory.swift)
// and the CPU's spin-wait hint (WorkerPool.swift). No library: header only.
#include <stddef.h>
#ifdef __linux__
#include <malloc.h>   /* mallopt, M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, mallinfo2 */
#endif

// glibc's own account of its heap, summed over all its arenas: the bytes in
// blocks the program holds (handed out by malloc and not yet freed, including
// blocks served by mmap), and the bytes in blocks freed but kept in the heap
// for reuse. Returns 0 where this malloc does not report it (not glibc, or a
// glibc before 2.33, which has only mallinfo's 32-bit counters).
static inline int mllab_heap_bytes(size_t *in_use, size_t *kept_free) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    *in_use = info.uordblks + info.hblkhd;
    *kept_free = info.fordblks;
    return 1;
#else
    *in_use = 0;
    *kept_free = 0;
    return 0;
#endif
}

// What the compiler was told about this CPU's vector unit (-target-cpu native).
// Swift has no #if for target features, but the C importer sees the same
// target as the Swift compiler, so these macros tell Swift code which
// instruction set its SIMD types compile to, and kernels choose register
// tiles that fit the register file instead of spilling.
#if defined(__AVX512F__)
#define MLLAB_VECTOR_REGISTERS 32      /* zmm0–zmm31 */
#define MLLAB_VECTOR_FLOATS 16         /* Floats per register */
#elif defined(__AVX2__) || defined(__AVX__)
#define MLLAB_VECTOR_REGISTERS 16      /* ymm0–ymm15 */
#define MLLAB_VECTOR_FLOATS 8
#else
#define MLLAB_VECTOR_REGISTERS 16      /* xmm0–xmm15 (SSE), or NEON's 32 × 4 counted as 16 × 8 */
#define MLLAB_VECTOR_FLOATS 4
#endif

// A spin-wait hint: tells the core that this thread is polling a flag, so it
// slows the loop down (x86 `pause`, ~65 cycles on Zen 3) instead of filling the
// pipeline with speculative loads, and leaves the bus to the thread doing work.
static inline void mllab_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
