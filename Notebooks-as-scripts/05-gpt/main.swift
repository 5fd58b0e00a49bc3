// Notebook 05: a mini-GPT: tokenizers, causal self-attention, training, sampling and the KV cache.
//
//   swift run -c release mllab notebook render 05-gpt   (the page: Notebooks-as-scripts/rendered/05-gpt.md)
//   swift run -c release notebook-05-gpt                (just run it; add --quick for the small setting)
//
// Cells in the percent format: "// %% [markdown]" opens prose, "// %%" opens
// code whose first statement is cell("title"). Change a number and run again.
import Autograd
import Foundation
import GPT
import LabKit
import NN
import NotebookKit
import Tensor

// %% [markdown]
// # Phase 5: a mini-GPT
//
// A language model gives a text its probability one token at a time,
//
//     p(x₁ … x_T) = Π_t p(x_t | x₁ … x_{t−1}),
//
// and a GPT computes every factor at once with a stack of transformer blocks
// whose attention only looks backwards. Training minimises the cross-entropy
// of each next token, L = −(1/T) Σ_t log p(x_{t+1} | x₁ … x_t); generation
// draws a token, appends it and asks again. This notebook takes the GPT
// module apart: tokens, one block's shapes, the causal mask, a small GPT
// trained in about two minutes, its attention heads, sampling, the KV cache
// and perplexity.
//
// ## The text, one token per character
// Like `lab-gpt`, the notebook reads tiny Shakespeare (1.1 million characters
// of the plays) from `$MLLAB_DATA/tinyshakespeare/input.txt` or the project's
// `Data/` folder, and otherwise the project's own README, docs and sources;
// the first line below says which (this page: Shakespeare). The simplest
// tokenizer gives each distinct character an id, in sorted order; the first
// 90% of the text is for training, the rest for validation.

// %%
cell("1. the text as characters")
let quick = Notebook.isQuick
let corpus = try CharCorpus.load()
let characters = corpus.vocabulary

/// A character as lists and chart axes show it: "·" for a space, "\n" for a line break.
func visible(_ character: Character) -> String {
    character == " " ? "·" : (character == "\n" ? "\\n" : String(character))
}

print("\(characters.count) distinct characters:", characters.characters.map { visible(Character($0)) }.joined())
print("training split \(corpus.train.count) characters, validation split \(corpus.validation.count)")
let firstLine = String(corpus.text.prefix { $0 != "\n" })
let firstLineIds = try characters.encode(firstLine)
print("\"\(firstLine)\" →", firstLineIds, "→ decoded back equal:", characters.decode(firstLineIds) == firstLine)
print("\nThe opening of the text:\n" + corpus.text.prefix(240))

// %% [markdown]
// ## Byte-pair encoding
// GPT-2's tokens start as the 256 byte values, so any text in any script
// encodes (as its UTF-8 bytes), and training adds one token per merge:
//
//     repeat: count every adjacent pair (a, b) of tokens in the text
//             the most frequent pair becomes a new token, 256 + the merge's number
//             every a b in the text is replaced by it
//
// Pairs never straddle two words (the text is first cut into words, each with
// the space before it), and ties go to the smaller pair. Below, the pairs of a
// toy text counted by hand and the merges `BytePairTokenizer` learns from it,
// then 256 merges learned on Shakespeare: common words become one token, an
// unseen word is spelled with pieces of known ones, and decode(encode(s)) = s
// even for characters the character vocabulary cannot encode at all. Fewer
// tokens per text mean a block of T tokens sees more of it, at the price of a
// bigger vocabulary (GPT-2's has 50 257). The rest of the notebook, like the
// lab, keeps to characters, which a small model learns quickly.

// %%
cell("2. byte-pair encoding: a merge by hand, then 256")
let toyText = "low low low low low lower lower newest newest newest newest newest newest widest widest widest"
// By hand: the words with their leading space, and every adjacent pair of characters inside one.
let toyWords = toyText.split(separator: " ").enumerated().map { $0.offset == 0 ? String($0.element) : " " + $0.element }
var pairCounts: [String: Int] = [:]
for word in toyWords {
    let letters = Array(word)
    for i in 0..<(letters.count - 1) { pairCounts[String(letters[i]) + String(letters[i + 1]), default: 0] += 1 }
}
let rankedPairs = pairCounts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
print("pairs counted by hand:", rankedPairs.prefix(5).map { "\"\($0.key)\" ×\($0.value)" }.joined(separator: ", "))

/// A BPE token's text in quotes (so a leading space shows); a byte that is only part of a character, in hexadecimal.
func quoted(_ tokenizer: BytePairTokenizer, _ token: Int) -> String {
    let bytes = tokenizer.bytes(of: token)
    let text: String = String(validating: bytes, as: UTF8.self)
        ?? bytes.map { $0 < 128 ? String(UnicodeScalar($0)) : String(format: "<%02X>", $0) }.joined()
    return "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + "\""
}

let toyTokenizer = try BytePairTokenizer.train(on: toyText, vocabularySize: 256 + 6)
for (number, pair) in toyTokenizer.merges.enumerated() {
    print("merge \(number): token \(256 + number) = \(quoted(toyTokenizer, pair.first)) + \(quoted(toyTokenizer, pair.second))")
}
print("\" lowest\", never in the toy text →", toyTokenizer.encode(" lowest").map { quoted(toyTokenizer, $0) }.joined(separator: " "))

let trainingText = characters.decode(corpus.train)
let bpeText = String(trainingText.prefix(quick ? 100_000 : 400_000))
let bpe = try BytePairTokenizer.train(on: bpeText, vocabularySize: 512)
print("\n512 tokens learned on \(bpeText.count) characters; the first merges:",
      bpe.merges.indices.prefix(12).map { quoted(bpe, 256 + $0) }.joined(separator: " "))
let validationText = characters.decode(corpus.validation)
let validationBPE = bpe.encode(validationText)
print(String(format: "the validation split: %d characters, %d BPE tokens (%.2f characters per token)",
             validationText.count, validationBPE.count, Double(validationText.count) / Double(validationBPE.count)))
let foreign = "Wherefore art thou Romeo? — naïve café ✓"
let foreignTokens = bpe.encode(foreign)
print("\"\(foreign)\" →", foreignTokens.map { quoted(bpe, $0) }.joined(separator: " "))
print("decoded back equal:", bpe.decode(foreignTokens) == foreign)
do { _ = try characters.encode(foreign) } catch { print("the character vocabulary cannot: \(error)") }

// %% [markdown]
// ## One block, shape by shape
// Token ids, B windows of T, are looked up in the token table wte and their
// positions in the table wpe; the sum x, of shape (B, T, C), flows through
// the blocks without changing shape:
//
//     x ← x + attn(ln₁(x))       causal self-attention, nh heads of size hs = C / nh
//     x ← x + mlp(ln₂(x))        mlp(u) = GELU(u W_fcᵀ) W_projᵀ, 4C hidden units
//
// In attn one projection makes q, k and v (3C channels), split into heads;
// each head mixes the values of earlier positions with the weights
// P = softmax(q kᵀ / √hs + mask). After the last block, logits = ln_f(x) wteᵀ:
// the output layer reuses the token table. The cell runs the first block's
// pieces one at a time, checks them against the block itself and the
// readable attention (NN's `MultiheadAttention.attention`: matmul, mask and
// softmax nodes) against the fused node the model trains with, and counts the
// parameters by formula: V·C + T_max·C for the tables, 12C² + 2C per block
// (4C² in attention, 8C² in the MLP, two LayerNorm gains), C for ln_f. An
// untrained model's loss starts near ln V, that of a uniform guess.

// %%
cell("3. one block, shape by shape")
let configuration = quick
    ? GPTConfiguration(vocabularySize: characters.count, blockSize: 32, layerCount: 2, headCount: 4, embeddingSize: 64)
    : GPTConfiguration(vocabularySize: characters.count, blockSize: 64, layerCount: 3, headCount: 4, embeddingSize: 64)
let model = GPTModel(configuration, seed: 0)
let (b, t) = (2, 8)                                                    // B windows of T tokens
let c = configuration.embeddingSize, nh = configuration.headCount, hs = c / nh, vocabularySize = characters.count
var windowGenerator = RandomGenerator(seed: 1)
let (ids, nextIds) = TextWindows.sample(from: corpus.train, batch: b, steps: t, generator: &windowGenerator)
let block = model.transformer.blocks[0]

/// x = wte[ids] + wpe[positions] of `model` for `batch` windows of `steps` ids: (B, T, C).
func embedded(_ ids: [Int], batch: Int, steps: Int, in model: GPTModel) -> Variable {
    let positions = (0..<batch).flatMap { _ in 0..<steps }
    return model.transformer.tokenEmbedding(ids, shape: [batch, steps])
        + model.transformer.positionEmbedding(positions, shape: [batch, steps])
}

/// The causal mask (T, T): 0 where j ≤ t, −∞ where j > t.
func causalMask(_ steps: Int) -> Tensor {
    var mask = Tensor.zeros([steps, steps])
    for row in 0..<steps { for column in (row + 1)..<steps { mask[row, column] = -.infinity } }
    return mask
}

/// The attention weights P = softmax(q kᵀ / √hs + mask) of every head, from the packed q|k|v (B, T, 3C).
func attentionWeights(_ packed: Variable, headCount nh: Int) -> Variable {
    let (b, t, c) = (packed.shape[0], packed.shape[1], packed.shape[2] / 3)
    let hs = c / nh
    let heads = packed.reshaped([b, t, 3, nh, hs]).permuted([2, 0, 3, 1, 4])             // (3, B, nh, T, hs)
    let queries = heads.slice(axis: 0, 0..<1).reshaped([b, nh, t, hs])                   // (B, nh, T, hs)
    let keys = heads.slice(axis: 0, 1..<2).reshaped([b, nh, t, hs])                      // (B, nh, T, hs)
    let scores = queries.matmul(keys, transposeOther: true) / Float(hs).squareRoot()    // (B, nh, T, T)
    return (scores + Variable(causalMask(t))).softmax(axis: -1)                          // rows sum to 1
}

let x = embedded(ids, batch: b, steps: t, in: model)                                   // (B, T, C)
let packed = block.attention.qkvProjection(block.attentionNorm(x))                     // (B, T, 3C)
let weights = attentionWeights(packed, headCount: nh)                                  // (B, nh, T, T)
let readable = MultiheadAttention.attention(packedQKV: packed, headCount: nh, causal: true)   // (B, T, C)
let fused = Variable.causalAttention(packedQKV: packed, headCount: nh)                // (B, T, C)
let afterAttention = x + block.attention.outputProjection(fused)                       // (B, T, C)
let hidden = block.feedForward.expand(block.feedForwardNorm(afterAttention)).gelu()   // (B, T, 4C)
let blockOutput = afterAttention + block.feedForward.contract(hidden)                  // (B, T, C)
let logits = model(ids, batch: b, steps: t)                                            // (B, T, V)

print("B \(b), T \(t), C \(c), nh \(nh), hs \(hs), V \(vocabularySize)")
for (step, shape) in [("token ids", [b, t]), ("x = wte[ids] + wpe[positions]", x.shape), ("q|k|v = c_attn(ln_1(x))", packed.shape),
                      ("q, k, v split into heads", [b, nh, t, hs]), ("P = softmax(q kᵀ / √hs + mask)", weights.shape),
                      ("y = P v, the heads side by side", fused.shape), ("x + c_proj(y)", afterAttention.shape),
                      ("GELU(c_fc(ln_2(x)))", hidden.shape), ("x + c_proj(…): the block's output", blockOutput.shape),
                      ("logits after \(configuration.layerCount) blocks and ln_f", logits.shape)] {
    print(step.padding(toLength: 38, withPad: " ", startingAt: 0), shape)
}
print(String(format: "attention, readable vs fused: max difference %.1e", (readable.value - fused.value).abs().max()))
print(String(format: "the block's pieces vs block(x): max difference %.1e", (blockOutput.value - block(x).value).abs().max()))
let parametersByFormula = vocabularySize * c + configuration.blockSize * c + configuration.layerCount * (12 * c * c + 2 * c) + c
print("parameters: by formula \(parametersByFormula), model.parameterCount \(model.parameterCount)")
let uniformLoss = Foundation.log(Double(vocabularySize))
print(String(format: "loss of the untrained model %.3f; ln V = %.3f",
             model.loss(ids, targets: nextIds, batch: b, steps: t).value.item, uniformLoss))

// %% [markdown]
// ## The causal mask
// Position t may only look at positions j ≤ t: the scores above the diagonal
// are set to −∞ before the softmax, so their weights are e^(−∞) = 0 and each
// row still sums to 1. A tiny example, one head with T = 4 and hs = 4, whose
// values are the identity matrix, so that the head's output y = P v is P
// itself: the fused attention against softmax(q kᵀ / 2 + mask) by hand. Then
// the mask's promise on the model: change the last token of a window, and the
// logits of every earlier position stay exactly as they were. That is what
// lets training score all T positions of a window in one pass without any of
// them seeing its answer.

// %%
cell("4. the causal mask on a tiny example")
let tinyQueries = Tensor([[1, 0, 1, 0], [0, 2, 0, 1], [1, 1, 0, 0], [0, 1, 2, 1]])
let tinyKeys = Tensor([[1, 0, 0, 1], [0, 1, 0, 0], [1, 0, 2, 0], [0, 2, 1, 0]])
let maskedScores = tinyQueries.matmul(tinyKeys.transposed()) / 2 + causalMask(4)      // q kᵀ / √hs + mask, hs = 4
let attentionByHand = maskedScores.softmax(axis: 1)
let tinyPacked = Tensor.concatenated([tinyQueries, tinyKeys, Tensor.eye(4)], axis: 1).reshaped([1, 4, 12])   // (1, T, 3C)
let attentionByLibrary = Variable.causalAttention(packedQKV: Variable(tinyPacked), headCount: 1).value.reshaped([4, 4])
print(String(format: "fused attention with v = I vs softmax by hand: max difference %.1e",
             (attentionByLibrary - attentionByHand).abs().max()))
var tinyMaps: [Canvas] = []
for (matrix, title) in [(maskedScores, "Scores q.k/2 with the mask"), (attentionByHand, "Attention P: rows sum to 1")] {
    var map = Heatmap(matrix, title: title, xLabel: "key position j", yLabel: "query position t")
    map.showsValues = true
    map.width = 560
    map.height = 480
    tinyMaps.append(map.render())
}
try figure("causal_mask.png") { try Canvas.sideBySide(tinyMaps, gap: 24).write(to: $0) }

// The promise on the model: a different last token changes only the last position's logits.
let window = Array(ids.prefix(t))
var changedWindow = window
changedWindow[t - 1] = (changedWindow[t - 1] + 1) % vocabularySize
let before = noGrad { model(window, batch: 1, steps: t).value }
let after = noGrad { model(changedWindow, batch: 1, steps: t).value }
print("token \(t - 1) changed: the largest change of the logits at positions 0…\(t - 1):",
      (0..<t).map { String(format: "%.1e", (before[0][$0] - after[0][$0]).abs().max()) }.joined(separator: " "))

// %% [markdown]
// ## Training a small GPT
// Each step draws B = 16 random windows of T characters and takes one AdamW
// step on the mean cross-entropy of all B·T next characters, with nanoGPT's
// recipe (GPTTrainer): the learning rate rises linearly for the first tenth
// of the steps, then follows a cosine down to a tenth of its peak; the
// gradient's norm is clipped to 1; weight decay λ = 0.1 shrinks the matrices
// but not the LayerNorm gains. The model is small (3 layers, C = 64, T = 64)
// because the page has about two minutes to train it, and at that budget a
// small model taking many steps beat, in our trials, a bigger one taking
// fewer; `lab-gpt` trains nanoGPT's "baby" model (4 layers, C = 128). Every
// tenth of the way, the mean loss on 20 000 characters of each split: a gap
// between them means the model does better on the text it trains on than on
// text it has not read (here it opens slowly, to about 0.1 nat).

// %%
cell("5. training a small GPT")
let trainingSteps = quick ? 200 : 2_000, batchSize = 16
var trainingSettings = GPTTrainingSettings()
trainingSettings.learningRate = 3e-3
trainingSettings.minimumLearningRate = 3e-4
trainingSettings.warmupSteps = trainingSteps / 10
trainingSettings.decaySteps = trainingSteps
let trainer = GPTTrainer(model: model, settings: trainingSettings)
var progress = GPTProgress(dataGenerator: RandomGenerator(seed: 0))
let scoredValidation = Array(corpus.validation.prefix(quick ? 5_000 : 20_000))
let scoredTrain = Array(corpus.train.prefix(scoredValidation.count))
print("\(model.parameterCount) parameters; \(trainingSteps) steps of \(batchSize) windows × \(configuration.blockSize) characters")
print(" step  learning rate  batch loss  train loss  validation loss")
let trainingStart = Stopwatch.now()
while progress.step < trainingSteps {
    let rate = trainer.learningRate
    let batchLoss = try trainer.train(on: corpus.train, batch: batchSize, progress: &progress)
    if progress.step % (trainingSteps / 10) == 0 {
        let evaluation = GPTEvaluation(step: progress.step, trainLoss: model.meanLoss(on: scoredTrain, steps: configuration.blockSize),
                                       validationLoss: model.meanLoss(on: scoredValidation, steps: configuration.blockSize))
        progress.evaluations.append(evaluation)
        print(String(format: "%5d  %13.5f  %10.3f  %10.3f  %15.3f", progress.step, rate, batchLoss, evaluation.trainLoss,
                     evaluation.validationLoss))
    }
}
print(String(format: "%.0f s with the evaluations", Stopwatch.now() - trainingStart))

var lossChart = LineChart(title: "A \(configuration.layerCount)-layer GPT on characters", xLabel: "step",
                          yLabel: "cross-entropy (nats per character)")
lossChart.addSeries("training batch", y: progress.stepLosses.map(Double.init), firstX: 1)
lossChart.addSeries("training text", x: progress.evaluations.map { Double($0.step) }, y: progress.evaluations.map(\.trainLoss))
lossChart.addSeries("validation text", x: progress.evaluations.map { Double($0.step) }, y: progress.evaluations.map(\.validationLoss))
lossChart.addSeries("uniform guess, ln V", x: [1, Double(trainingSteps)], y: [uniformLoss, uniformLoss])
try figure("loss_curve.png") { try lossChart.write(to: $0) }

// %% [markdown]
// ## What the heads attend to
// A head's attention matrix says how much each position t mixes in of each
// earlier position j: P_tj = softmax_j(q_t · k_j / √hs), j ≤ t. The cell feeds
// a sentence through the trained blocks and keeps P for every head (with
// `attentionWeights` of cell 3; the KV-cache decoder of cell 8 records one
// head as well, and must agree). The mean distance a head looks back,
// Σ_j P_tj (t − j) averaged over t, sums up its habit: 0 for a head that sees
// only the current character, 1 for one that reads the character before,
// more for one that gathers from the whole line (about 6.5 for a uniform head
// on this sentence). The maps show the heads that look back least and most:
// here one of layer 0 reads mostly the character before, and one of layer 1
// picks a few characters from anywhere, such as the two O's of "ROMEO".

// %%
cell("6. what the heads attend to")
let sentence = String(corpus.defaultSentence.prefix(27))
let sentenceIds = try characters.encode(sentence)
var attentionMatrices: [[Tensor]] = []                                        // [layer][head], each (T, T)
var state = embedded(sentenceIds, batch: 1, steps: sentenceIds.count, in: model)     // (1, T, C)
for layerBlock in model.transformer.blocks {
    let layerWeights = noGrad { attentionWeights(layerBlock.attention.qkvProjection(layerBlock.attentionNorm(state)), headCount: nh) }
    attentionMatrices.append((0..<nh).map { layerWeights.value[0][$0] })
    state = noGrad { layerBlock(state) }
}
let lastLayer = configuration.layerCount - 1
let recordingDecoder = KVCacheDecoder(model: model)
_ = recordingDecoder.append(sentenceIds, recordingHead: (lastLayer, 0))
print(String(format: "layer %d, head 0: the KV-cache decoder's recording vs these weights: max difference %.1e", lastLayer,
             (recordingDecoder.recordedAttention! - attentionMatrices[lastLayer][0]).abs().max()))

/// Σ_j P_tj (t − j), averaged over the positions t.
func meanLookBack(_ attention: Tensor) -> Double {
    let n = attention.shape[0]
    var total = 0.0
    for row in 0..<n { for column in 0...row { total += Double(attention[row, column]) * Double(row - column) } }
    return total / Double(n)
}

let lookBacks = attentionMatrices.map { $0.map(meanLookBack) }                 // [layer][head]
print("\"\(sentence)\": the mean distance each head looks back, in characters")
print("         " + (0..<nh).map { "head \($0)" }.joined(separator: "  "))
for (layer, distances) in lookBacks.enumerated() {
    print("layer \(layer)  " + distances.map { String(format: "%6.2f", $0) }.joined(separator: "  "))
}
let ranking = lookBacks.indices.flatMap { layer in (0..<nh).map { (layer: layer, head: $0, distance: lookBacks[layer][$0]) } }
    .sorted { $0.distance < $1.distance }
var attentionMaps: [Canvas] = []
for chosen in [ranking.first!, ranking.last!] {
    var map = Heatmap(attentionMatrices[chosen.layer][chosen.head],
                      title: String(format: "Layer %d, head %d: looks back %.1f", chosen.layer, chosen.head, chosen.distance),
                      xLabel: "attended position j (key)", yLabel: "position t (query)")
    map.rowLabels = sentence.map(visible)
    map.columnLabels = sentence.map(visible)
    map.valueRange = 0...1
    attentionMaps.append(map.render())
}
try figure("attention_heads.png") { try Canvas.sideBySide(attentionMaps, gap: 16).write(to: $0) }

// %% [markdown]
// ## Sampling: temperature, top-k and top-p
// The last row of logits z gives the next token's distribution, and the
// sampler reshapes it before drawing (NN's TokenSampler, in this order):
//
//     temperature   p_j ∝ exp(z_j / τ): τ < 1 sharpens, τ > 1 flattens, τ → 0 is greedy (the argmax)
//     top-k         keep the k most likely tokens
//     top-p         keep the smallest set of most likely tokens whose probability reaches p
//
// then renormalises what it keeps. Top-p, the "nucleus" of Holtzman et al.
// (2019), adapts to the model's certainty: after "th" few letters are
// plausible and few are kept, at the start of a word many are. It is this
// phase's exercise, between `// BEGIN EXERCISE` and `// END EXERCISE` in
// Sources/NN/Decoding/TokenSampler.swift; below, its answer is checked by hand
// (rank, add up, stop at p). All samples start from the same seed, so they
// differ only in their settings; a crude score for each is how many of its
// words occur in the training text. Greedy decoding falls into a loop of its
// favourite words, a high temperature invents words, and top-k and top-p cut
// off the unlikely tail that produces most of the nonsense.

// %%
cell("7. temperature, top-k and top-p")
let context = corpus.defaultPrompt + "\nI know th"
let contextIds = Array(try characters.encode(context).suffix(configuration.blockSize))
let nextLogits = noGrad { model(contextIds, batch: 1, steps: contextIds.count).value }     // (1, T, V)
let lastRow = nextLogits[0][contextIds.count - 1].scalars                                  // (V)

/// A character token as a chart label.
func label(_ token: Int) -> String { visible(Character(characters.decode([token]))) }

let ranked = try TokenSampler.candidates(logits: lastRow, settings: SamplingSettings(temperature: 1))
print("after \"…I know th\", the most likely next characters:",
      ranked.prefix(6).map { String(format: "%@ %.3f", label($0.token), $0.probability) }.joined(separator: ", "))
var nucleusMass: Float = 0, nucleusSize = 0
while nucleusMass < 0.9 {
    nucleusMass += ranked[nucleusSize].probability
    nucleusSize += 1
}
let nucleus = try TokenSampler.candidates(logits: lastRow, settings: SamplingSettings(temperature: 1, topP: 0.9))
print(String(format: "top-p 0.9: by hand %d characters (their mass %.3f), TokenSampler keeps %d", nucleusSize, nucleusMass, nucleus.count))
var probabilityCharts: [Canvas] = []
for temperature: Float in [0.5, 1, 2] {
    let reshaped = try TokenSampler.candidates(logits: lastRow, settings: SamplingSettings(temperature: temperature)).prefix(10)
    var chart = BarChart(labels: reshaped.map { label($0.token) }, values: reshaped.map(\.probability),
                         title: "temperature \(temperature)", valueLabel: "probability", categoryLabel: "next character")
    chart.valueAxis.range = 0...1
    chart.width = 420
    chart.height = 400
    probabilityCharts.append(chart.render())
}
try figure("temperature.png") { try Canvas.sideBySide(probabilityCharts, gap: 16).write(to: $0) }

let trainingWords = Set(trainingText.split { !$0.isLetter }.map { $0.lowercased() })
let samplePrompt = try characters.encode(corpus.defaultPrompt)
let samplings: [(name: String, settings: SamplingSettings)] = [
    ("greedy (τ = 0)", .greedy), ("τ = 0.5", SamplingSettings(temperature: 0.5)), ("τ = 1", SamplingSettings(temperature: 1)),
    ("τ = 1.5", SamplingSettings(temperature: 1.5)), ("τ = 1, top-k 5", SamplingSettings(temperature: 1, topK: 5)),
    ("τ = 1, top-p 0.9", SamplingSettings(temperature: 1, topP: 0.9))]
for (name, settings) in samplings {
    let generated = try model.generate(prompt: samplePrompt, count: quick ? 120 : 240, settings: settings, seed: 7)
    let text = corpus.defaultPrompt + characters.decode(generated)
    let words = text.split { !$0.isLetter }.map { $0.lowercased() }
    print("\n── \(name): \(words.filter(trainingWords.contains).count) of \(words.count) words occur in the training text")
    print(text)
}

// %% [markdown]
// ## The KV cache
// Without a cache every new token runs the whole window again: at context
// length t, each layer projects all t positions and attention takes t² dot
// products, to keep one row of logits. But k_j and v_j depend only on the
// tokens up to j (the mask again), so once computed they never change. The
// KV cache keeps them, per layer, and a new token costs one row through each
// projection and t dot products per head:
//
//     S_j = q_t · k_j / √hs (j ≤ t),   P = softmax(S),   y_t = Σ_j P_j v_j
//
// The same weights do the same sums, so the logits agree with recomputation
// up to rounding. Below, a block of the validation text is read one character
// at a time both ways (each time the best of three passes); `generate` uses
// the cache unless it is given `useCache: false`.

// %%
cell("8. the KV cache: the same logits for less work")
let readTokens = Array(corpus.validation.prefix(configuration.blockSize))
let readingDecoder = KVCacheDecoder(model: model)
var cachedSeconds = [Double](repeating: .infinity, count: readTokens.count), recomputedSeconds = cachedSeconds
var largestDifference: Float = 0
for _ in 0..<3 {
    readingDecoder.reset()
    for position in readTokens.indices {
        var cachedRow = Tensor.zeros([1]), fullLogits = Tensor.zeros([1])
        let cached = Stopwatch.time { cachedRow = readingDecoder.append([readTokens[position]]) }                // (1, V)
        let recomputed = Stopwatch.time {
            fullLogits = noGrad { model(Array(readTokens[...position]), batch: 1, steps: position + 1).value }   // (1, t + 1, V)
        }
        cachedSeconds[position] = min(cachedSeconds[position], cached)
        recomputedSeconds[position] = min(recomputedSeconds[position], recomputed)
        largestDifference = max(largestDifference, (cachedRow[0] - fullLogits[0][position]).abs().max())
    }
}
print(String(format: "%d characters read one at a time: largest difference from recomputing %.1e", readTokens.count, largestDifference))
print(String(format: "the whole block: %.1f ms with the cache, %.1f ms recomputing (%.1f× faster); the last token alone %.1f×",
             cachedSeconds.reduce(0, +) * 1000, recomputedSeconds.reduce(0, +) * 1000,
             recomputedSeconds.reduce(0, +) / cachedSeconds.reduce(0, +), recomputedSeconds.last! / cachedSeconds.last!))
var costChart = LineChart(title: "The cost of one more token", xLabel: "context length t", yLabel: "milliseconds")
costChart.addSeries("recompute the window", y: recomputedSeconds.map { $0 * 1000 }, firstX: 1)
costChart.addSeries("KV cache", y: cachedSeconds.map { $0 * 1000 }, firstX: 1)
try figure("kv_cache_cost.png") { try costChart.write(to: $0) }

// %% [markdown]
// ## Perplexity, and a checkpoint
// Perplexity is e^L, L the mean cross-entropy per token in nats: the model is
// as unsure as if it chose uniformly among that many tokens (V for a uniform
// guess, 1 for a perfect model). Two counting models, estimated on the
// training split with one extra count for every character so that nothing
// has probability 0, set the scale:
//
//     unigram   p(c) = (n_c + 1) / (N + V)                   ignores the context
//     bigram    p(c | a) = (n_ac + 1) / (n_a + V)             sees one character back
//
// Their L on the validation split, −(1/N) Σ log p, is computed by hand; the
// GPT's comes from `model.perplexity(of:)`, over windows of one block (the
// first characters of a window have little context, so it is a little worse
// than the model can do). Last, `GPTTrainer.save` writes the weights, both
// AdamW moment sets, the step and the data generator into one safetensors
// file with the vocabulary as metadata; a fresh model loaded from it must
// score the same.

// %%
cell("9. perplexity and a checkpoint")
let scoredTokens = quick ? Array(corpus.validation.prefix(20_000)) : corpus.validation
var unigramCounts = [Double](repeating: 1, count: vocabularySize)
var bigramCounts = [[Double]](repeating: [Double](repeating: 1, count: vocabularySize), count: vocabularySize)
for token in corpus.train { unigramCounts[token] += 1 }
for (previous, token) in zip(corpus.train, corpus.train.dropFirst()) { bigramCounts[previous][token] += 1 }
let unigramTotal = unigramCounts.reduce(0, +)
var unigramLoss = 0.0, bigramLoss = 0.0
for (previous, token) in zip(scoredTokens, scoredTokens.dropFirst()) {
    unigramLoss -= Foundation.log(unigramCounts[token] / unigramTotal)
    bigramLoss -= Foundation.log(bigramCounts[previous][token] / bigramCounts[previous].reduce(0, +))
}
let predictedCount = Double(scoredTokens.count - 1)
let gptPerplexity = model.perplexity(of: scoredTokens)
print("on \(scoredTokens.count) validation characters:    loss (nats)   perplexity")
for (name, loss) in [("uniform guess", uniformLoss), ("unigram counts", unigramLoss / predictedCount),
                     ("bigram counts", bigramLoss / predictedCount), ("the GPT", Foundation.log(gptPerplexity))] {
    print(name.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "%12.3f %12.2f", loss, Foundation.exp(loss)))
}

let checkpointPath = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-05-gpt.safetensors").path
try trainer.save(to: checkpointPath, progress: progress, extra: CharCorpus.metadata(characters))
let header = try GPTCheckpoint.header(at: checkpointPath)
let reloaded = GPTModel(header.configuration, seed: 99)
let reloadedProgress = try GPTTrainer(model: reloaded, settings: header.settings).load(from: checkpointPath)
let sameVocabulary = try CharCorpus.vocabulary(from: header.extra, path: checkpointPath) == characters
print(String(format: "\ncheckpoint at step %d, reloaded: perplexity %.6f (before saving %.6f); same vocabulary: %@",
             reloadedProgress.step, reloaded.perplexity(of: scoredTokens), gptPerplexity, sameVocabulary ? "yes" : "no"))
try FileManager.default.removeItem(atPath: checkpointPath)

// %% [markdown]
// ## What to try next
// - Change `configuration` in cell 3 (more layers, C = 128) and
//   `trainingSteps` in cell 5, and watch the validation loss and the time.
// - Look at the heads on another sentence; sample at τ = 0.8 with top-p 0.95;
//   train a 1 024-token BPE and count the characters per token.
// - The exercise: re-implement top-p between `// BEGIN EXERCISE top-p` and
//   `// END EXERCISE` in Sources/NN/Decoding/TokenSampler.swift, then grade
//   it with `swift run -c release mllab grade --phase 5`.
// - The lab trains nanoGPT's baby model for 2 000 steps, samples from its
//   checkpoint and evaluates it: `swift run -c release lab-gpt train`, then
//   `lab-gpt sample --top-p 0.9` and `lab-gpt eval` (each with `--quick` for
//   a few seconds).
// - The tests of this phase: `swift test -c release --filter GPTTests` (the
//   tokenizers, the model against recomputation, the KV cache, checkpoints).
