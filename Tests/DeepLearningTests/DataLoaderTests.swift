import Testing
@testable import DeepLearning

@Suite("Data loader")
struct DataLoaderTests {
    /// Inputs [n, 3] whose row i is (i, i, i), targets i: a batch shows which samples it holds.
    static func indexed(_ n: Int) -> (Tensor, Tensor) {
        let inputs = Tensor(shape: [n, 3], scalars: (0..<n).flatMap { Array(repeating: Float($0), count: 3) })
        return (inputs, Tensor(shape: [n], scalars: (0..<n).map(Float.init)))
    }

    @Test("Every sample is visited once per epoch, with and without dropLast, with prefetch on and off",
          arguments: [false, true])
    func coversEverySample(prefetch: Bool) {
        let (inputs, targets) = Self.indexed(103)
        for dropLast in [false, true] {
            let loader = DataLoader(inputs: inputs, targets: targets, batchSize: 10, shuffle: true, seed: 4,
                                    dropLast: dropLast, prefetch: prefetch)
            for epoch in 0..<3 {
                var seen: [Int] = []
                var batches = 0
                for batch in loader.batches(epoch: epoch) {
                    #expect(batch.inputs.shape == [batch.targets.count, 3])
                    #expect(batch.targets.count == 10 || (!dropLast && batch.targets.count == 3))
                    // Inputs and targets stay paired.
                    #expect(batch.inputs.scalars.enumerated().allSatisfy { $0.element == batch.targets.scalars[$0.offset / 3] })
                    seen += batch.targets.scalars.map { Int($0) }
                    batches += 1
                }
                #expect(batches == loader.batchCount)
                if dropLast {
                    #expect(seen.count == 100 && Set(seen).count == 100)
                } else {
                    #expect(seen.sorted() == Array(0..<103))
                }
                #expect(seen.count == loader.samplesPerEpoch)
            }
        }
    }

    @Test("Orders depend on (seed, epoch); shuffle false keeps the data order")
    func orders() {
        let (inputs, targets) = Self.indexed(50)
        let loader = DataLoader(inputs: inputs, targets: targets, batchSize: 8, seed: 1)
        let first = loader.batches(epoch: 0).flatMap { $0.targets.scalars }
        #expect(first == loader.batches(epoch: 0).flatMap { $0.targets.scalars })
        #expect(first != loader.batches(epoch: 1).flatMap { $0.targets.scalars })
        #expect(first != first.sorted())
        let sequential = DataLoader(inputs: inputs, targets: targets, batchSize: 8, shuffle: false)
        #expect(sequential.batches(epoch: 5).flatMap { $0.targets.scalars } == (0..<50).map(Float.init))
    }

    @Test("Prefetched, augmented batches equal those made on the calling thread")
    func prefetchMatches() {
        let images = Tensor.uniform([70, 10, 10], seed: 5)
        let labels = Tensor(shape: [70], scalars: (0..<70).map { Float($0 % 10) })
        let augmentation = ImageAugmentation(maxShift: 2, maxRotation: 10)
        let background = DataLoader(inputs: images, targets: labels, batchSize: 16, seed: 3,
                                    augmentation: augmentation, prefetch: true)
        let inline = DataLoader(inputs: images, targets: labels, batchSize: 16, seed: 3,
                                augmentation: augmentation, prefetch: false)
        let a = Array(background.batches(epoch: 2)), b = Array(inline.batches(epoch: 2))
        #expect(a.count == 5 && b.count == 5)
        for (x, y) in zip(a, b) {
            #expect(x.inputs.scalars == y.inputs.scalars)
            #expect(x.targets.scalars == y.targets.scalars)
        }
        // The augmented images differ from the raw rows.
        let raw = DataLoader(inputs: images, targets: labels, batchSize: 16, seed: 3)
        #expect(Array(raw.batches(epoch: 2))[0].inputs.scalars != a[0].inputs.scalars)
        // Stopping early leaves no trouble behind: a second pass still gives every batch.
        for (index, _) in background.batches(epoch: 2).enumerated() where index == 1 { break }
        #expect(Array(background.batches(epoch: 2)).count == 5)
    }
}
