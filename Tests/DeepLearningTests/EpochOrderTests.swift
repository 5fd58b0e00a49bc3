import Testing
@testable import DeepLearning

@Suite("Epoch order")
struct EpochOrderTests {
    @Test("Every sample is visited exactly once per epoch, in batches of the given size")
    func coversEverySampleOnce() {
        for (count, batch, dropLast) in [(1_000, 64, false), (1_000, 64, true), (7, 10, false), (128, 32, false)] {
            let order = EpochOrder(count: count, batchSize: batch, epoch: 2, seed: 5, dropLast: dropLast)
            let visited = (0..<order.batchCount).flatMap { Array(order.batch($0)) }
            if dropLast {
                #expect(visited.count == count / batch * batch)
                #expect(Set(visited).count == visited.count)
            } else {
                #expect(visited.sorted() == Array(0..<count))
            }
            #expect((0..<order.batchCount).allSatisfy { order.batch($0).count <= batch })
        }
    }

    @Test("An epoch's order depends on (seed, epoch) only: the same after a resume, different across epochs")
    func orderIsAFunctionOfSeedAndEpoch() {
        let third = EpochOrder(count: 500, batchSize: 50, epoch: 3, seed: 9)
        #expect(third == EpochOrder(count: 500, batchSize: 50, epoch: 3, seed: 9))
        #expect(third.indices != EpochOrder(count: 500, batchSize: 50, epoch: 4, seed: 9).indices)
        #expect(third.indices != EpochOrder(count: 500, batchSize: 50, epoch: 3, seed: 10).indices)
        #expect(EpochOrder(count: 5, batchSize: 2, epoch: 0, seed: 0, shuffle: false).indices == [0, 1, 2, 3, 4])
    }
}
