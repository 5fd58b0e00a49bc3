import Testing
@testable import Tensor

@Suite struct SimilarityTests {
    @Test func cosineSimilarityWorkedExample() {
        let q = Tensor([[1, 0], [1, 1]])
        let k = Tensor([[2, 0], [0, 3], [-1, -1]])
        let s = Tensor.cosineSimilarity(q, k)
        let h = Float(0.5).squareRoot()
        let expected = Tensor([[1, 0, -h], [h, h, -1]])
        #expect(maxRelativeError(s, expected) < 1e-6)
        #expect(Tensor([[0, 0], [3, 4]]).normalizedRows().scalars == [0, 0, 0.6, 0.8])
    }

    @Test func topKMatchesSorting() {
        let x = Tensor.normal([5, 50], seed: 11)
        let (values, indices) = x.topK(7)
        #expect(values.shape == [5, 7])
        for r in 0..<5 {
            let row = x[r].scalars
            let order = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
            #expect(indices[r] == Array(order.prefix(7)))
            #expect(values[r].scalars == order.prefix(7).map { row[$0] })
        }
        #expect(Tensor([1, 3, 3, 2]).topK(2).indices == [[1, 2]])
        #expect(Tensor([1, 2]).topK(0).values.shape == [0])
    }
}
