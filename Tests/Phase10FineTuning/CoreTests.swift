// Phase 10's core: what the learner is given (scoring preferences). These pass in the student edition too.
import FineTuning
import GradingSupport
import Tensor
import Testing

@Suite("Phase 10 core: scoring preferences")
struct CoreTests {
    @Test("Preference accuracy counts chosen > rejected, a tie as one half", .points(1))
    func accuracy() {
        #expect(PreferenceScores.accuracy(chosen: Tensor([1, 2, 3, 0]), rejected: Tensor([0, 2, 4, -1])) == 0.625)
    }

    @Test("The reward margin is the mean of chosen − rejected", .points(1))
    func margin() {
        #expect(abs(PreferenceScores.margin(chosen: Tensor([1, 2, 3]), rejected: Tensor([0, 4, 0])) - 2.0 / 3) < 1e-9)
    }
}
