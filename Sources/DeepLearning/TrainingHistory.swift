// TrainingHistory: what each epoch of training measured, and where a run stands.
//
// Per epoch the training loop records the mean training loss over the epoch's
// batches (each batch's mean loss weighted by its sample count, so a smaller
// last batch counts for what it holds), the training accuracy (correct
// predictions / predictions), the same two on the validation set after the
// epoch, and the throughput (training samples per second of the epoch's
// training loop). `TrainingProgress` adds what a resumed run must know to
// continue exactly: epochs done, optimizer steps taken (the learning-rate
// schedule's clock), the early-stopping state and the seed.

/// The figures of one epoch.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// The epoch number, from 1.
    public var epoch: Int
    /// Mean training loss over the epoch's samples.
    public var trainLoss: Double
    /// Fraction of correct training predictions, when the objective counts them.
    public var trainAccuracy: Double?
    /// Mean loss on the validation set after the epoch, when there is one.
    public var validationLoss: Double?
    /// Fraction of correct validation predictions, when there is a validation set and the objective counts them.
    public var validationAccuracy: Double?
    /// Training samples per second during the epoch's training loop.
    public var samplesPerSecond: Double
    /// The learning rate of the epoch's last step.
    public var learningRate: Float

    /// Creates a record.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double?, validationLoss: Double?,
                validationAccuracy: Double?, samplesPerSecond: Double, learningRate: Float) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.samplesPerSecond = samplesPerSecond
        self.learningRate = learningRate
    }
}

/// Every epoch's figures and how training ended.
public struct TrainingHistory: Sendable, Equatable, Codable {
    /// One record per epoch trained, including epochs trained before a resume.
    public var epochs: [EpochRecord]
    /// Whether early stopping ended the run before its last epoch.
    public var stoppedEarly: Bool
    /// The number of epochs already done in the checkpoint this run resumed from, if it resumed.
    public var resumedAfterEpoch: Int?

    /// Creates a history.
    public init(epochs: [EpochRecord] = [], stoppedEarly: Bool = false, resumedAfterEpoch: Int? = nil) {
        self.epochs = epochs
        self.stoppedEarly = stoppedEarly
        self.resumedAfterEpoch = resumedAfterEpoch
    }

    /// The last epoch's record, if any epoch ran.
    public var last: EpochRecord? { epochs.last }
}

/// Where a training run stands: saved in every checkpoint, so a resumed run continues exactly.
public struct TrainingProgress: Sendable, Equatable, Codable {
    /// Epochs finished.
    public var epochsCompleted: Int
    /// Optimizer steps taken (the step number a learning-rate schedule is evaluated at).
    public var optimizerSteps: Int
    /// The optimizer's learning rate after the last step.
    public var learningRate: Float
    /// The early-stopping state (best monitored loss, epochs without improvement).
    public var earlyStopping: EarlyStopping
    /// The seed of the training data loader (orders and augmentation).
    public var seed: UInt64
    /// The figures of the epochs finished, and whether early stopping ended the run.
    public var history: TrainingHistory

    /// The progress of a run that has not started.
    public init(learningRate: Float, seed: UInt64, patience: Int?) {
        epochsCompleted = 0
        optimizerSteps = 0
        self.learningRate = learningRate
        earlyStopping = EarlyStopping(patience: patience)
        self.seed = seed
        history = TrainingHistory()
    }
}
