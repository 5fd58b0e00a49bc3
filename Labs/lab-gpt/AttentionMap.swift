// The attention of one head as a picture: row t is the distribution
//     P_tj = softmax_j(q_t · k_j / √hs),  j ≤ t
// with which the character at position t mixes the values of the ones before
// it (the upper triangle is zero: the causal mask). Read off the KV-cache
// decoder while it feeds the sentence in one pass.
import Foundation
import GPT
import LabKit

enum AttentionMap {
    static func write(_ model: GPTModel, corpus: CharCorpus, sentence: String, layer: Int?, head: Int,
                      settings: TourSettings, files: inout [String]) throws {
        let configuration = model.configuration
        let layer = layer ?? configuration.layerCount - 1
        guard layer < configuration.layerCount, head < configuration.headCount else {
            throw LabGPTError("--layer \(layer) / --head \(head): the model has \(configuration.layerCount) layers of \(configuration.headCount) heads")
        }
        let ids = Array(try corpus.vocabulary.encode(sentence).prefix(configuration.blockSize))
        let decoder = KVCacheDecoder(model: model)
        _ = decoder.append(ids, recordingHead: (layer, head))
        let labels = ids.map { id -> String in
            let scalar = corpus.vocabulary.characters[id]
            return scalar.isASCII && scalar.value >= 32 ? String(Character(scalar)) : "?"
        }
        var map = Heatmap(decoder.recordedAttention!, title: "Attention, layer \(layer) head \(head)",
                          xLabel: "attended position (key)", yLabel: "position (query)")
        map.rowLabels = labels
        map.columnLabels = labels
        map.valueRange = 0...1
        try settings.write("attention_l\(layer)_h\(head).png", files: &files) { try map.write(to: $0) }
    }
}
