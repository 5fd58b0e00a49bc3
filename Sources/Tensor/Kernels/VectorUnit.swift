// VectorUnit: the vector registers the kernels are compiled for.
//
// A register-tiled kernel keeps a block of C in registers while it streams A
// and B past it: R rows × V vectors of accumulators, plus V loads of B and a
// broadcast of A each step, must fit the register file or the tile spills to
// the stack and runs at a fraction of its speed. With -target-cpu native a
// SIMD16<Float> is one zmm register on AVX-512 (32 of them) and two ymm
// registers on AVX2 (16 of them), so a tile of 8 rows × 32 Floats, 16 zmm
// accumulators, needs 32 ymm registers on AVX2: twice what there is.
// Kernels read `VectorUnit` to pick a tile that fits.

import CPlatform

/// The vector register file of the CPU this module was compiled for.
public enum VectorUnit {
    /// Number of vector registers (32 on AVX-512, 16 on AVX2 and SSE).
    public static let registers = Int(MLLAB_VECTOR_REGISTERS)
    /// Floats in one vector register (16 on AVX-512, 8 on AVX2, 4 on SSE).
    public static let floatsPerRegister = Int(MLLAB_VECTOR_FLOATS)
    /// Whether 16-Float vectors are single registers (AVX-512), so that wide tiles fit.
    public static let hasWideRegisters = floatsPerRegister >= 16 && registers >= 32
    /// A short name for benchmark output: "avx512", "avx2" or "sse/neon".
    public static let name = hasWideRegisters ? "avx512" : (floatsPerRegister == 8 ? "avx2" : "sse/neon")
}
