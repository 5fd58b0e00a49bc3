// The fine-tuning learning-rate schedules: constant keeps η at every step;
// cosine warms up linearly over W steps, η·(t + 1)/(W + 1), then follows
// η·½(1 + cos(π(t − W)/(T − W))) down to zero at the run's last step T.
import Testing
import NN
@testable import GPT
@testable import FineTuning

@Suite("Fine-tuning schedules")
struct FineTuningScheduleTests {
    let tiny = GPTConfiguration(vocabularySize: 11, blockSize: 8, layerCount: 1, headCount: 2, embeddingSize: 16)

    /// The rate GPTTrainer uses at each step of a run made with `settings`.
    func rates(_ settings: GPTTrainingSettings, steps: Int) -> [Float] {
        let trainer = GPTTrainer(model: GPTModel(tiny, seed: 1), settings: settings)
        return (0...steps).map { trainer.schedule.learningRate(atStep: $0) }
    }

    @Test("Constant: η at every step, also past the run's end")
    func constantRate() {
        let eta: Float = 3e-3
        let constant = rates(.fineTuning(learningRate: eta, schedule: .constant, steps: 100, warmupSteps: 0), steps: 300)
        #expect(constant.allSatisfy { $0 == eta })
        #expect(rates(.fineTuning(learningRate: eta), steps: 300) == constant)
    }

    @Test("Cosine: linear warm-up to η, η/2 halfway through the decay, zero at the last step")
    func cosineRate() {
        let eta: Float = 2e-2, warmup = 10, steps = 100
        let cosine = rates(.fineTuning(learningRate: eta, schedule: .cosine, steps: steps, warmupSteps: warmup), steps: steps)
        for t in 0..<warmup {
            #expect(abs(cosine[t] - eta * Float(t + 1) / Float(warmup + 1)) <= 1e-9)
        }
        #expect(abs(cosine[warmup] - eta) <= 1e-9)
        #expect(abs(cosine[warmup + (steps - warmup) / 2] - eta / 2) <= 1e-7)
        #expect(cosine[steps] == 0)
        #expect(cosine[steps - 1] > 0 && cosine[steps - 1] < eta * 1e-3)
        let decay = cosine[warmup...]
        #expect(zip(decay, decay.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test("Cosine without warm-up starts at η")
    func cosineWithoutWarmup() {
        let cosine = rates(.fineTuning(learningRate: 1e-3, schedule: .cosine, steps: 40, warmupSteps: 0), steps: 40)
        #expect(cosine[0] == 1e-3)
        #expect(cosine[40] == 0)
    }
}
