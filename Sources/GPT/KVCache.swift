// KVCache: incremental decoding, one new token at a time.
//
// In causal attention the key and value of position j depend only on tokens
// 0…j, so once computed they never change. Generation without a cache re-runs
// the whole window for every new token: O(T) projections and O(T²) attention
// per token. With the cache, each layer stores k_j and v_j (T × C each) and a
// new token at position t costs one row through every projection plus
//   S_j = s · q_t · k_j  (j ≤ t),   P = softmax(S),   y_t = Σ_j P_j v_j
// per head: O(1) projections and O(t) attention. The same layers and weights
// as the full forward are used, so the logits agree with full recomputation
// up to rounding (a test holds them to 1e-4).
// The position table has blockSize rows, so the cache holds at most
// blockSize positions. Past that, GPTGeneration re-fills it from the last
// half block (see GPTGeneration.swift).

import Autograd
import Foundation
import NN
import Tensor

/// The keys and values of the positions fed so far, per layer, for one sequence.
public final class KVCacheDecoder {
    /// The model whose layers and weights the decoder runs; the cache holds its keys and values.
    public let model: GPTModel
    /// keys[l] and values[l]: blockSize rows of C numbers; rows 0..<count are filled.
    var keys: [[Float]]
    var values: [[Float]]
    /// The number of positions in the cache.
    public private(set) var count = 0
    /// The attention probabilities of the head asked for by `append(_:recordingHead:)`, (new rows, count).
    public private(set) var recordedAttention: Tensor?

    /// An empty cache for `model`, with room for `blockSize` positions in every layer.
    public init(model: GPTModel) {
        self.model = model
        let configuration = model.configuration
        let size = configuration.blockSize * configuration.embeddingSize
        keys = Array(repeating: Array(repeating: 0, count: size), count: configuration.layerCount)
        values = keys
    }

    /// The most positions the cache can hold (the model's block size).
    public var capacity: Int { model.configuration.blockSize }

    /// Empties the cache (the next token fed is at position 0).
    public func reset() { count = 0 }

    /// Feeds `tokens` at positions count ..< count + n and returns their logits, (n, V).
    /// `recordingHead` (layer, head) keeps that head's attention rows in `recordedAttention`.
    public func append(_ tokens: [Int], recordingHead: (layer: Int, head: Int)? = nil) -> Tensor {
        let n = tokens.count
        precondition(n > 0 && count + n <= capacity,
                     "KVCacheDecoder: \(n) tokens after \(count) exceed the block size \(capacity)")
        let transformer = model.transformer
        recordedAttention = nil
        return noGrad {
            var x = transformer.tokenEmbedding(tokens, shape: [n])
                + transformer.positionEmbedding(Array(count..<count + n), shape: [n])      // (n, C)
            for (layer, block) in transformer.blocks.enumerated() {
                let qkv = block.attention.qkvLayer(block.attentionNorm(x)).value       // (n, 3C)
                let head = recordingHead?.layer == layer ? recordingHead?.head : nil
                let attended = attend(qkv, layer: layer, headCount: block.attention.headCount, recording: head)
                x = x + block.attention.outputLayer(Variable(attended))
                x = x + block.feedForward(block.feedForwardNorm(x))
            }
            count += n
            let normalized = transformer.finalNorm(x)
            return normalized.matmul(transformer.tokenEmbedding.weight, transposeOther: true).value   // (n, V)
        }
    }

    /// Stores the new rows' k and v at positions count…, then attends each new query to
    /// every cached position up to its own; returns (n, C) with the heads side by side.
    func attend(_ qkv: Tensor, layer: Int, headCount: Int, recording head: Int?) -> Tensor {
        let n = qkv.shape[0], c = qkv.shape[1] / 3, headSize = c / headCount
        let scale = 1 / Float(headSize).squareRoot()
        var output = Tensor.zeros([n, c])
        var recorded = head.map { _ in Tensor.zeros([n, count + n]) }
        let first = count
        qkv.withUnsafeBufferPointer { qkv in
        keys[layer].withUnsafeMutableBufferPointer { keys in
        values[layer].withUnsafeMutableBufferPointer { values in
        output.withUnsafeMutableBufferPointer { output in
            let qkv = qkv.baseAddress!, keys = keys.baseAddress!, values = values.baseAddress!
            for row in 0..<n {   // the new k, v join the cache
                (keys + (first + row) * c).update(from: qkv + row * 3 * c + c, count: c)
                (values + (first + row) * c).update(from: qkv + row * 3 * c + 2 * c, count: c)
            }
            var scores = [Float](repeating: 0, count: first + n)
            for row in 0..<n {
                let position = first + row
                for h in 0..<headCount {
                    let q = qkv + row * 3 * c + h * headSize, y = output.baseAddress! + row * c + h * headSize
                    var largest = -Float.infinity
                    for j in 0...position {
                        let k = keys + j * c + h * headSize
                        var dot: Float = 0
                        for i in 0..<headSize { dot += q[i] * k[i] }
                        scores[j] = scale * dot
                        largest = Swift.max(largest, scores[j])
                    }
                    var total: Float = 0
                    for j in 0...position {
                        scores[j] = Foundation.exp(scores[j] - largest)
                        total += scores[j]
                    }
                    for j in 0...position {
                        let p = scores[j] / total, v = values + j * c + h * headSize
                        for i in 0..<headSize { y[i] += p * v[i] }
                        if h == head { recorded![row, j] = p }
                    }
                }
            }
        } } } }
        if let recorded { recordedAttention = recorded }   // only the recorded layer; the others leave it alone
        return output
    }
}
