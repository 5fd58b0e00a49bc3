// What can go wrong in a training run of RL: a loss that is no longer a
// number (from a learning rate too large, or returns that overflow). The run
// stops before the update, naming the algorithm and the update.

/// The errors a training run of RL throws.
public enum RLError: Error, CustomStringConvertible, Equatable {
    /// The loss of update number `update` (counted from 1) of `algorithm` ("PPO", "DQN", "REINFORCE") was `loss`,
    /// NaN or infinite; the weights were left as they were.
    case nonFiniteLoss(algorithm: String, update: Int, loss: Float)

    /// The error in a sentence, for a lab to print.
    public var description: String {
        switch self {
        case .nonFiniteLoss(let algorithm, let update, let loss):
            return "\(algorithm): the loss became \(loss) at update \(update); stopping before the weights move"
        }
    }
}
