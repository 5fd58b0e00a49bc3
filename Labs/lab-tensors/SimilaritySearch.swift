// Part 2 of lab-tensors: cosine-similarity search over seeded embedding vectors.
// All query-to-vector similarities are one matrix product of unit rows,
// S = Q̂·V̂ᵀ, then the top 5 of each row are kept (Tensor.cosineSimilarity, topK).
import Foundation
import LabKit

enum SimilaritySearch {
    static func run(count: Int, seed: UInt64) -> [(String, JSONValue)] {
        Log.info("== Cosine-similarity search ==")
        let set = SyntheticEmbeddings(count: count, dimension: 64, topicCount: 20, queryCount: 500, seed: seed)
        Log.info("\(set.vectors.shape[0]) vectors of dimension \(set.vectors.shape[1]) in 20 topics; \(set.queries.shape[0]) noisy queries")

        var similarities = Tensor.zeros([0])
        var best: (values: Tensor, indices: [[Int]]) = (Tensor.zeros([0]), [])
        let seconds = Stopwatch.time {
            similarities = Tensor.cosineSimilarity(set.queries, set.vectors)   // [queries, vectors]
            best = similarities.topK(5)
        }
        let queryCount = set.sources.count
        var hitsAt1 = 0, hitsAt5 = 0, sameTopic = 0
        for q in 0..<queryCount {
            let found = best.indices[q]
            if found.first == set.sources[q] { hitsAt1 += 1 }
            if found.contains(set.sources[q]) { hitsAt5 += 1 }
            sameTopic += found.filter { set.topics[$0] == set.topics[set.sources[q]] }.count
        }
        let recall1 = Double(hitsAt1) / Double(queryCount)
        let recall5 = Double(hitsAt5) / Double(queryCount)
        let topicPrecision = Double(sameTopic) / Double(queryCount * 5)
        let rate = Double(queryCount) / seconds
        Log.info("query 0: top-5 \(best.indices[0]) with similarities \(best.values[0].scalars.map { String(format: "%.3f", $0) }); its source is \(set.sources[0])")
        Log.info(String(format: "recall@1 %.3f  recall@5 %.3f  topic precision@5 %.3f  (%.0f queries/s over %d vectors)\n",
                        recall1, recall5, topicPrecision, rate, count))
        return [("recall_at_1", .number(recall1)), ("recall_at_5", .number(recall5)),
                ("topic_precision_at_5", .number(topicPrecision)), ("queries_per_s", .number(rate.rounded()))]
    }
}
