// CharLanguageModel: a character-level language model, Embedding → LSTM or GRU → Linear.
//
// For token ids x (B, T) it predicts, at every position t, the next character:
//   e_t = E[x_t]                          (B, T, embedding)   Embedding
//   h_t = cell(e_t, h_(t−1))              (B, T, hidden)      one LSTM or GRU layer
//   logits_t = h_t · Wᵀ + b               (B, T, vocabulary)  Linear head
//   loss = mean over (b, t) of −log softmax(logits_bt)[y_bt],  y_bt = x_b,(t+1)
// Training feeds random windows of the text (targets are the windows shifted
// by one); sampling (TextSampling.swift) feeds one character at a time and
// carries the recurrent state from step to step.
// PyTorch equivalent (bench_deep.py's CharLSTM): nn.Embedding(V, 64),
// nn.LSTM(64, 256, batch_first=True), nn.Linear(256, V); parameter names
// match (emb.weight, lstm.weight_ih_l0, …, head.weight), with "gru" for the GRU.

import Autograd
import LabKit
import NN
import Tensor

/// A character-level language model: an embedding, one recurrent layer and a linear head to the vocabulary.
public final class CharLanguageModel: Module {
    /// The recurrent layer's kind.
    public enum Cell: String, Sendable, CaseIterable {
        /// Long short-term memory (state h and c).
        case lstm
        /// Gated recurrent unit (state h).
        case gru
    }

    /// The recurrent state carried between calls: h (B, H), and c (B, H) for an LSTM.
    public struct State {
        /// The hidden state h (B, H).
        public var h: Variable
        /// The LSTM's cell state c (B, H); nil for a GRU.
        public var c: Variable?
    }

    /// Number of distinct tokens.
    public let vocabularySize: Int
    /// The recurrent layer's kind.
    public let cell: Cell
    /// Token id → vector (vocabularySize, embeddingSize).
    public let embedding: Embedding
    /// The LSTM layer when `cell == .lstm`.
    public let lstm: LSTM?
    /// The GRU layer when `cell == .gru`.
    public let gru: GRU?
    /// Hidden state → logits over the vocabulary.
    public let head: Linear
    public var isTraining = true

    /// A model over `vocabularySize` tokens, initialized like PyTorch from `seed`.
    public init(vocabularySize: Int, cell: Cell = .lstm, embeddingSize: Int = 64, hiddenSize: Int = 256, seed: UInt64 = 0) {
        precondition(vocabularySize > 0 && embeddingSize > 0 && hiddenSize > 0,
                     "CharLanguageModel: sizes must be positive, got vocabulary \(vocabularySize), embedding \(embeddingSize), hidden \(hiddenSize)")
        self.vocabularySize = vocabularySize
        self.cell = cell
        embedding = Embedding(vocabularySize, embeddingSize, seed: seed)
        switch cell {
        case .lstm:
            lstm = LSTM(inputSize: embeddingSize, hiddenSize: hiddenSize, seed: seed + 1)
            gru = nil
        case .gru:
            gru = GRU(inputSize: embeddingSize, hiddenSize: hiddenSize, seed: seed + 1)
            lstm = nil
        }
        head = Linear(hiddenSize, vocabularySize, seed: seed + 2)
    }

    public var localParameters: [(String, Variable)] { [] }

    public var children: [(String, any Module)] {
        var result: [(String, any Module)] = [("emb", embedding)]
        if let lstm { result.append(("lstm", lstm)) }
        if let gru { result.append(("gru", gru)) }
        result.append(("head", head))
        return result
    }

    /// Logits (B, T, vocabularySize) for `tokens`, batch-major ids of shape (batch, steps), from a zero state.
    public func callAsFunction(_ tokens: [Int], batch: Int, steps: Int) -> Variable {
        forward(tokens, batch: batch, steps: steps, state: nil).logits
    }

    /// Logits (B, T, vocabularySize) for `tokens` (batch × steps ids, batch-major) from `state`
    /// (nil is zero), and the state after the last step (to continue the sequence).
    public func forward(_ tokens: [Int], batch: Int, steps: Int, state: State?) -> (logits: Variable, state: State) {
        precondition(batch > 0 && steps > 0 && tokens.count == batch * steps,
                     "CharLanguageModel: \(tokens.count) tokens do not fill (batch \(batch), steps \(steps))")
        let x = embedding(tokens, shape: [batch, steps])                      // (B, T) → (B, T, E)
        let hidden: Variable, next: State
        if let lstm {
            let start = state.map { (h: $0.h, c: $0.c ?? Variable(Tensor.zeros($0.h.shape))) }
            let (output, final) = lstm(x, state: start)                        // (B, T, E) → (B, T, H)
            (hidden, next) = (output, State(h: final.h, c: final.c))
        } else {
            let (output, final) = gru!(x, state: state?.h)                     // (B, T, E) → (B, T, H)
            (hidden, next) = (output, State(h: final, c: nil))
        }
        return (head(hidden), next)                                            // (B, T, H) → (B, T, V)
    }

    /// Mean cross-entropy of the next-token predictions: logits for `inputs` against `targets`
    /// (both batch × steps ids, batch-major).
    public func loss(inputs: [Int], targets: [Int], batch: Int, steps: Int) -> Variable {
        precondition(targets.count == inputs.count,
                     "CharLanguageModel.loss: \(inputs.count) inputs but \(targets.count) targets")
        let logits = self(inputs, batch: batch, steps: steps)                 // (B, T, V)
        return logits.reshaped([batch * steps, vocabularySize]).crossEntropy(targets)
    }
}

extension CharLanguageModel {
    /// Mean cross-entropy (nats per character) over every position of the non-overlapping
    /// `steps`-character windows of `tokens` (TextWindows.meanLoss), without recording a graph.
    public func meanLoss(on tokens: [Int], steps: Int = 64) -> Double {
        noGrad {
            TextWindows.meanLoss(on: tokens, steps: steps) { x, y, n in
                Double(loss(inputs: x, targets: y, batch: n, steps: steps).value.item)
            }
        }
    }
}
