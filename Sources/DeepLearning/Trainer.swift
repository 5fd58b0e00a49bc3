// Trainer: the training loop, with evaluation, checkpoints, resume and early stopping.
//
// For each epoch e = 0, 1, … and each batch (x, y) of the epoch's order:
//
//     γ ← schedule(t)                  the learning rate of optimizer step t
//     zero the gradients
//     ŷ = model(x);  L = loss(ŷ, y)    forward, recording the graph
//     stop with an error if L is NaN or ±∞
//     L.backward()                     ∂L/∂θ for every parameter θ
//     stop with an error if some ∂L/∂θ holds NaN or ±∞
//     optimizer.step();  t ← t + 1     θ ← update(θ, ∂L/∂θ, state)
//
// then, with the model in evaluation mode (Dropout off, BatchNorm on its
// running statistics) and no graph recorded, the mean loss and accuracy on the
// validation set; then early stopping's check (EarlyStopping.swift) and a
// checkpoint (CheckpointFile.swift). The two stops (NumericGuard in Autograd)
// replay the step under anomaly detection to name the first op whose output
// or gradient was not finite. Resuming loads the checkpoint and carries
// on at the next epoch: the batches of an epoch depend only on (seed, epoch),
// the schedule only on t, and the optimizer state is restored, so a run of
// 2 epochs resumed for a third takes exactly the steps of 3 epochs straight.
// A progress bar shows the running loss, accuracy and samples per second.

import Autograd
import Foundation
import Tensor

/// Why training stopped with an error.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The loss or a gradient became NaN or infinite at a step (from 1) of `epoch` (from 1).
    case nonFinite(epoch: Int, NonFiniteStep)
    /// The checkpoint to resume from was written with another data seed, so the run would not repeat.
    case seedMismatch(path: String, checkpoint: UInt64, loader: UInt64)

    public var description: String {
        switch self {
        case .nonFinite(let epoch, let failure):
            return "epoch \(epoch), \(failure)"
        case .seedMismatch(let path, let checkpoint, let loader):
            return "\(path) was written by a run with seed \(checkpoint), the training data loader has seed \(loader)"
        }
    }
}

/// The settings of a training run and the loop that carries it out.
public struct Trainer: Sendable {
    /// The total number of epochs (a resumed run trains only the epochs not yet done).
    public var epochs: Int
    /// The loss to minimise and the accuracy to report.
    public var objective: TrainingObjective
    /// Where to write a checkpoint after every epoch, or nil for none.
    public var checkpointPath: String?
    /// Whether to continue from the checkpoint at `checkpointPath` when that file exists.
    public var resume: Bool
    /// Stop after this many epochs without a lower validation (or, without one, training) loss; nil never stops.
    public var earlyStoppingPatience: Int?
    /// The learning rate per optimizer step, or nil to keep the optimizer's rate.
    public var schedule: (any LearningRateSchedule)?
    /// Whether to show a progress bar per epoch and a summary line after it (on standard error).
    public var showsProgress: Bool

    /// A training run of `epochs` epochs; see the properties for the options.
    public init(epochs: Int, objective: TrainingObjective = .classification, checkpointPath: String? = nil,
                resume: Bool = false, earlyStoppingPatience: Int? = nil, schedule: (any LearningRateSchedule)? = nil,
                showsProgress: Bool = true) {
        precondition(epochs >= 0, "Trainer: epochs must be ≥ 0, got \(epochs)")
        precondition(earlyStoppingPatience == nil || earlyStoppingPatience! >= 1,
                     "Trainer: earlyStoppingPatience must be ≥ 1, got \(earlyStoppingPatience!)")
        precondition(!resume || checkpointPath != nil, "Trainer: resume needs a checkpointPath")
        self.epochs = epochs
        self.objective = objective
        self.checkpointPath = checkpointPath
        self.resume = resume
        self.earlyStoppingPatience = earlyStoppingPatience
        self.schedule = schedule
        self.showsProgress = showsProgress
    }

    /// Trains a layer that maps a batch of inputs straight to outputs.
    @discardableResult
    public func fit(_ model: some Layer, optimizer: any StatefulOptimizer, train: DataLoader,
                    validation: DataLoader? = nil) throws -> TrainingHistory {
        try fit(model, forward: { model(Variable($0)) }, optimizer: optimizer, train: train, validation: validation)
    }

    /// Trains `model`, whose outputs for a batch of inputs are `forward(inputs)`, with `optimizer`
    /// (over the model's parameters) on `train`, evaluating on `validation` after each epoch.
    /// Leaves the model in evaluation mode. Throws `TrainingError` on a non-finite loss and
    /// `CheckpointError` (or LabKit's `DataError` when writing) for checkpoint trouble.
    @discardableResult
    public func fit(_ model: some Module, forward: (Tensor) -> Variable, optimizer: any StatefulOptimizer,
                    train: DataLoader, validation: DataLoader? = nil) throws -> TrainingHistory {
        var progress = TrainingProgress(learningRate: optimizer.learningRate, seed: train.seed,
                                        patience: earlyStoppingPatience)
        if resume, let path = checkpointPath, FileManager.default.fileExists(atPath: path) {
            progress = try CheckpointFile.load(from: path, into: model, optimizer: optimizer)
            guard progress.seed == train.seed else {
                throw TrainingError.seedMismatch(path: path, checkpoint: progress.seed, loader: train.seed)
            }
            progress.history.resumedAfterEpoch = progress.epochsCompleted
            progress.earlyStopping.patience = earlyStoppingPatience     // this run's setting, the saved best and count
            if showsProgress { Log.info("resuming from \(path) after epoch \(progress.epochsCompleted)") }
        }
        defer { model.eval() }
        while progress.epochsCompleted < epochs && !progress.history.stoppedEarly {
            let epoch = progress.epochsCompleted
            let record = try trainEpoch(epoch, model: model, forward: forward, optimizer: optimizer,
                                        train: train, validation: validation, progress: &progress)
            progress.history.epochs.append(record)
            progress.earlyStopping.record(record.validationLoss ?? record.trainLoss)
            progress.epochsCompleted = epoch + 1
            progress.learningRate = optimizer.learningRate
            if progress.earlyStopping.shouldStop && progress.epochsCompleted < epochs {
                progress.history.stoppedEarly = true
            }
            if let path = checkpointPath {
                try CheckpointFile.save(to: path, model: model, optimizer: optimizer, progress: progress)
            }
            if showsProgress { Log.info(summary(record)) }
        }
        return progress.history
    }

    /// Mean loss and accuracy of `model` on every batch of `data` (epoch 0's order), in evaluation
    /// mode and without recording a graph.
    public func evaluate(_ model: some Module, forward: (Tensor) -> Variable,
                         on data: DataLoader) -> (loss: Double, accuracy: Double?) {
        model.eval()
        var totals = RunningTotals()
        noGrad {
            for batch in data.batches(epoch: 0) {
                let outputs = forward(batch.inputs)
                let loss = objective.loss(outputs, batch.targets).value.item
                totals.add(loss: loss, samples: batch.inputs.shape[0],
                           correct: objective.correctPredictions?(outputs.value, batch.targets))
            }
        }
        return (totals.meanLoss, totals.accuracy)
    }

    /// One pass over the training batches, then the validation set.
    private func trainEpoch(_ epoch: Int, model: some Module, forward: (Tensor) -> Variable,
                            optimizer: any StatefulOptimizer, train: DataLoader, validation: DataLoader?,
                            progress: inout TrainingProgress) throws -> EpochRecord {
        model.train()
        let bar = showsProgress ? ProgressBar(total: train.batchCount, label: "epoch \(epoch + 1)/\(epochs)") : nil
        var totals = RunningTotals()
        let start = ProgressBar.monotonicSeconds()
        let parameters = model.namedParameters.filter { $0.1.requiresGrad }   // named for NumericGuard's messages
        for (step, batch) in train.batches(epoch: epoch).enumerated() {
            schedule?.apply(to: optimizer, atStep: progress.optimizerSteps)
            optimizer.zeroGrad()
            let outputs = forward(batch.inputs)
            let loss = objective.loss(outputs, batch.targets)
            let value = loss.value.item
            do {
                let replay = { objective.loss(forward(batch.inputs), batch.targets) }
                try NumericGuard.checkLoss(loss, step: step + 1, parameters: parameters, replay: replay)
                loss.backward()
                try NumericGuard.checkGradients(of: parameters, step: step + 1, replay: replay)
            } catch let failure as NonFiniteStep {
                bar?.finish()
                throw TrainingError.nonFinite(epoch: epoch + 1, failure)
            }
            optimizer.step()
            progress.optimizerSteps += 1
            totals.add(loss: value, samples: batch.inputs.shape[0],
                       correct: objective.correctPredictions?(outputs.value, batch.targets))
            if let bar {
                var metrics = [("loss", totals.meanLoss)]
                if let accuracy = totals.accuracy { metrics.append(("acc", accuracy)) }
                metrics.append(("samples/s", Double(totals.samples) / max(ProgressBar.monotonicSeconds() - start, 1e-9)))
                bar.advance(metrics: metrics)
            }
        }
        let seconds = ProgressBar.monotonicSeconds() - start
        bar?.finish()
        let evaluation = validation.map { evaluate(model, forward: forward, on: $0) }
        return EpochRecord(epoch: epoch + 1, trainLoss: totals.meanLoss, trainAccuracy: totals.accuracy,
                           validationLoss: evaluation?.loss, validationAccuracy: evaluation?.accuracy,
                           samplesPerSecond: Double(totals.samples) / max(seconds, 1e-9),
                           learningRate: optimizer.learningRate)
    }

    /// "epoch 3/10: loss 0.412, acc 0.871, val_loss 0.398, val_acc 0.880, 5123 samples/s"
    private func summary(_ record: EpochRecord) -> String {
        var parts = ["loss \(format(record.trainLoss))"]
        if let accuracy = record.trainAccuracy { parts.append("acc \(format(accuracy))") }
        if let loss = record.validationLoss { parts.append("val_loss \(format(loss))") }
        if let accuracy = record.validationAccuracy { parts.append("val_acc \(format(accuracy))") }
        parts.append("\(ProgressBar.formatRate(record.samplesPerSecond)) samples/s")
        return "epoch \(record.epoch)/\(epochs): " + parts.joined(separator: ", ")
    }

    private func format(_ value: Double) -> String { String(format: "%.4f", value) }
}

/// Sample-weighted running sums of the loss and the correct predictions.
private struct RunningTotals {
    var weightedLoss = 0.0
    var samples = 0
    var correct = 0
    var predictions = 0
    var countsAccuracy = false

    mutating func add(loss: Float, samples batch: Int, correct counts: (correct: Int, total: Int)?) {
        weightedLoss += Double(loss) * Double(batch)
        samples += batch
        if let counts {
            countsAccuracy = true
            correct += counts.correct
            predictions += counts.total
        }
    }

    var meanLoss: Double { samples > 0 ? weightedLoss / Double(samples) : .nan }
    var accuracy: Double? { countsAccuracy && predictions > 0 ? Double(correct) / Double(predictions) : nil }
}
