// SyntheticEmbeddings: a built-in set of embedding vectors for similarity search.
//
// Real embeddings cluster by meaning. We imitate that with `topicCount` topic
// directions t_1 … t_T ~ N(0, I_d); vector i belongs to topic c_i and is
//     v_i = t_(c_i) + σ_spread · ε_i,        ε_i ~ N(0, I_d)
// A query is a noisy copy of one stored vector, q = v_j + σ_query · η, and a
// good search returns j first (recall@1) and vectors of j's topic after it.
// Everything is drawn from one seeded generator, so a seed fixes the whole set.

/// A seeded collection of topic-clustered vectors and noisy queries against them.
public struct SyntheticEmbeddings: Sendable {
    /// The stored vectors, [count, dimension].
    public let vectors: Tensor
    /// The topic of each stored vector.
    public let topics: [Int]
    /// The queries, [queryCount, dimension].
    public let queries: Tensor
    /// For each query, the index of the stored vector it was made from.
    public let sources: [Int]

    /// Draws the set. The defaults give a search that finds most sources first (recall@1 ≈ 0.94)
    /// but mixes topics in its tail (topic precision@5 ≈ 0.89).
    public init(count: Int = 10_000, dimension: Int = 64, topicCount: Int = 20, queryCount: Int = 500,
                spread: Float = 1.2, queryNoise: Float = 1.8, seed: UInt64 = 0) {
        precondition(count > 0 && dimension > 0 && topicCount > 0 && queryCount >= 0,
                     "SyntheticEmbeddings: sizes must be positive (count \(count), dimension \(dimension), topics \(topicCount))")
        var generator = RandomGenerator(seed: seed)
        let centres = Tensor.normal([topicCount, dimension], using: &generator)
        let topics = (0..<count).map { _ in generator.nextInt(below: topicCount) }
        let noise = Tensor.normal([count, dimension], std: spread, using: &generator)
        let vectors = centres.gathering(topics) + noise
        let sources = (0..<queryCount).map { _ in generator.nextInt(below: count) }
        let queries = vectors.gathering(sources) + Tensor.normal([queryCount, dimension], std: queryNoise, using: &generator)
        self.vectors = vectors
        self.topics = topics
        self.queries = queries
        self.sources = sources
    }
}
