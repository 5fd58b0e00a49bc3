// Random tensors: uniform and normal samples drawn from a seeded generator.
//
// Each creator takes the generator `inout`, so a program that draws from one
// generator in a fixed order gets the same tensors on every run.

extension Tensor {
    /// Uniform samples in [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               using generator: inout RandomGenerator) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { out in
            for i in 0..<out.count { out[i] = generator.uniform(low, high) }
        }
        return t
    }

    /// Normal samples N(mean, std²).
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              using generator: inout RandomGenerator) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { out in
            for i in 0..<out.count { out[i] = generator.normal(mean: mean, std: std) }
        }
        return t
    }

    /// Uniform samples in [low, high) from a fresh generator seeded with `seed`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return uniform(shape, low: low, high: high, using: &generator)
    }

    /// Normal samples N(mean, std²) from a fresh generator seeded with `seed`.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return normal(shape, mean: mean, std: std, using: &generator)
    }
}
