// Embedding: rows looked up, shapes, gradients accumulated on repeated ids.
import Testing
import NN
import Autograd
import Tensor

@Suite struct EmbeddingTests {
    @Test func looksUpRows() {
        let table = Embedding(5, 3, seed: 1)
        #expect(table.weight.shape == [5, 3])
        let w = table.weight.value.scalars
        let y = table([4, 0, 4, 2, 1, 3], shape: [2, 3])
        #expect(y.shape == [2, 3, 3])
        let expected = [4, 0, 4, 2, 1, 3].flatMap { Array(w[$0 * 3 ..< $0 * 3 + 3]) }
        #expect(y.value.scalars == expected)
        #expect(table([2]).shape == [1, 3])
    }

    @Test func initializationIsStandardNormal() {
        let stats = meanAndStd(Embedding(1000, 100, seed: 2).weight.value.scalars)
        #expect(abs(stats.mean) < 0.01 && abs(stats.std - 1) < 0.01)
    }

    @Test func gradientSumsRepeatedIndices() {
        let table = Embedding(4, 2, seed: 3)
        let y = table([1, 3, 1])
        (y * Variable(Tensor([[1, 2], [3, 4], [5, 6]]))).sum().backward()
        // Row 1 is used at positions 0 and 2, row 3 at position 1, rows 0 and 2 never.
        #expect(table.weight.grad!.scalars == [0, 0, 6, 8, 0, 0, 3, 4])
    }

    @Test func gradcheck() {
        // Step 1e-2; the table is the gradcheck input.
        let table = Embedding(6, 4, seed: 4)
        expectGradientsMatch("Embedding", [table.weight.value]) { v in
            table.weight = v[0]
            return table([5, 1, 1, 0], shape: [2, 2]).squared()
        }
    }
}
