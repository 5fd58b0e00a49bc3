// A long GPT training run keeps its memory flat: 3 000 steps of GPTTrainer
// (AdamW, clipping, the numeric guard) with an evaluation every 500 steps, as
// lab-gpt trains. Memory is read after step 500, when the heap, the scratch
// pools and the worker threads have reached their working size, and again after
// step 3 000. Each step's graph (attention, LayerNorm, the logits of 4 × 32
// tokens) is about a megabyte, so one graph kept alive per step, or a per-step
// buffer never freed, would grow memory many times over.
//
// The resident size (RSS) is split as ResidentMemory.swift explains:
// - the live heap may grow by at most 256 KiB. The run keeps every step's loss
//   (4 bytes a step, 10 KB here), and glibc counts the blocks each thread keeps
//   in its own cache (tcache) for its next requests as live: in 16 runs on a
//   busy machine the live heap grew by 15 KB to 106 KB. A leak of 100 bytes a
//   step would exceed the bound.
// - RSS less the free heap malloc keeps may grow by at most 1 MiB: it grew by
//   at most 139 KB in those runs and by 300 KB in a CI run (the live heap's
//   growth plus pages of stacks and code touched later). This catches leaks
//   outside malloc (mapped memory, threads and their stacks), which come in
//   pages of 4 KiB or more: one a step would be 10 MB here.
// - RSS itself may grow by at most 25%. On its own RSS is noisy: with the
//   machine busy (as in CI, where other tests run beside this one) the free heap
//   grew by up to 3.4 MiB of 39 MiB (8.5%) in 20 runs, in jumps at a few
//   evaluations, while the live heap stayed within the figures above.
// Memory is read once before training too: the first reading pages in the
// code that reads /proc and fills Foundation's caches, which would count as
// growth. Runs in its own process (an exit test) so that other tests do not move the
// figures; the child prints them and this process checks them, so a failure
// shows them.
import Foundation
import Testing
import GPT
import LabKit
import Tensor

@Suite struct GPTMemoryTests {
    typealias Snapshot = ResidentMemory.Snapshot

    static let figuresPrefix = "GPT memory figures: "

    @Test("3 000 GPT training steps with evaluations: live heap and resident size stay flat after step 500",
          .enabled(if: ResidentMemory.isAvailable))
    func residentSizeStaysFlat() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            let configuration = GPTConfiguration(vocabularySize: 65, blockSize: 32, layerCount: 2, headCount: 2, embeddingSize: 64)
            let trainer = GPTTrainer(model: GPTModel(configuration, seed: 1))
            var generator = RandomGenerator(seed: 2)
            let tokens = (0..<20_000).map { _ in generator.nextInt(below: 65) }
            var progress = GPTProgress(dataGenerator: RandomGenerator(seed: 3))
            var snapshots: [Snapshot] = []
            snapshots.reserveCapacity(2)   // so that appending the first one allocates nothing between the readings
            _ = Snapshot.now()   // the first reading pages in the code and caches it runs on
            for step in 1...3_000 {
                _ = try trainer.train(on: tokens, batch: 4, progress: &progress)
                if step % 500 == 0 { _ = trainer.model.meanLoss(on: Array(tokens.prefix(2_048)), steps: 32) }
                if step == 500 || step == 3_000 { snapshots.append(.now()) }
            }
            let json = try JSONEncoder().encode(snapshots)
            FileHandle.standardError.write(Data((GPTMemoryTests.figuresPrefix + String(decoding: json, as: UTF8.self) + "\n").utf8))
        }
        let output = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        let line = try #require(output.split(separator: "\n").last { $0.hasPrefix(Self.figuresPrefix) },
                                "the run printed no figures: \(output)")
        let snapshots = try JSONDecoder().decode([Snapshot].self, from: Data(line.dropFirst(Self.figuresPrefix.count).utf8))
        try #require(snapshots.count == 2)
        let (atStep500, atStep3000) = (snapshots[0], snapshots[1])
        print("GPT memory after step 500 and step 3 000: \(atStep500) → \(atStep3000)")

        #expect(atStep500.resident > 0)
        #if os(Linux)
        try #require(atStep500.heap != nil && atStep3000.heap != nil, "glibc reported no heap figures")
        #endif
        #expect(Double(atStep3000.resident) <= 1.25 * Double(atStep500.resident), "RSS grew by more than 25%")
        if let heap500 = atStep500.heap, let heap3000 = atStep3000.heap,
           let lessFree500 = atStep500.residentLessKeptFree, let lessFree3000 = atStep3000.residentLessKeptFree {
            #expect(heap3000.live - heap500.live <= 256 << 10, "the live heap grew by more than 256 KiB")
            #expect(lessFree3000 - lessFree500 <= 1 << 20, "RSS less malloc's free heap grew by more than 1 MiB")
        }
    }
}
