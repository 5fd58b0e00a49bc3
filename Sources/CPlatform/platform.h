// What Swift cannot ask for directly: the vector unit the compiler targets,
// glibc's malloc tuning (HeapReuse.swift) and the CPU's spin-wait hint
// (WorkerPool.swift). No library: header only.
#ifdef __linux__
#include <malloc.h>   /* mallopt, M_MMAP_THRESHOLD, M_TRIM_THRESHOLD */
#endif

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
