// Exercise top-p (Sources/NN/Decoding/TokenSampler.swift, candidates):
// nucleus sampling keeps the smallest set of most likely tokens whose
// probability reaches p (always at least one), then renormalises.
import GradingSupport
import NN
import Foundation
import Testing

@Suite("Exercise top-p: the nucleus of the next-token distribution")
struct TopPTests {
    /// Logits whose softmax is exactly `probabilities` (log p, τ = 1).
    func logits(_ probabilities: [Double]) -> [Float] { probabilities.map { Float(log($0)) } }

    func close(_ a: [(token: Int, probability: Float)], _ b: [(Int, Float)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.token == $1.0 && abs($0.probability - $1.1) < 1e-5 }
    }

    @Test("p = 0.75 over 0.1, 0.5, 0.3, 0.1 keeps tokens 1 and 2 (0.8 ≥ 0.75), renormalised to 5/8 and 3/8",
          .exercise("top-p", points: 2))
    func smallestPrefix() throws {
        let kept = try TokenSampler.candidates(logits: logits([0.1, 0.5, 0.3, 0.1]), settings: SamplingSettings(topP: 0.75))
        #expect(close(kept, [(1, 0.625), (2, 0.375)]), "\(kept)")
    }

    @Test("A small p keeps only the most likely token; p = 1 keeps every token", .exercise("top-p", points: 1))
    func extremes() throws {
        let probabilities = logits([0.2, 0.1, 0.6, 0.1])
        let one = try TokenSampler.candidates(logits: probabilities, settings: SamplingSettings(topP: 0.05))
        #expect(close(one, [(2, 1)]), "\(one)")
        let all = try TokenSampler.candidates(logits: probabilities, settings: SamplingSettings(topP: 1))
        #expect(all.count == 4 && abs(all.map(\.probability).reduce(0, +) - 1) < 1e-5)
    }

    @Test("Temperature comes first: at τ = 2 the probabilities flatten, so the nucleus of p = 0.55 grows",
          .exercise("top-p", points: 1))
    func afterTemperature() throws {
        // Logits ln 0.6, ln 0.3, ln 0.1 at τ = 2: weights √0.6, √0.3, √0.1 = 0.775, 0.548, 0.316 (sum 1.639):
        // probabilities 0.473, 0.334, 0.193, so p = 0.55 needs two tokens (at τ = 1 one token, 0.6, is enough).
        let scores = logits([0.6, 0.3, 0.1])
        let cold = try TokenSampler.candidates(logits: scores, settings: SamplingSettings(temperature: 1, topP: 0.55))
        #expect(cold.map(\.token) == [0])
        let warm = try TokenSampler.candidates(logits: scores, settings: SamplingSettings(temperature: 2, topP: 0.55))
        let (a, b) = (Float(0.6.squareRoot()), Float(0.3.squareRoot()))
        #expect(close(warm, [(0, a / (a + b)), (1, b / (a + b))]), "\(warm)")
    }
}
