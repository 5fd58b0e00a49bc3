// What can go wrong in a training run of RL: a loss that is no longer a
// number (from a learning rate too large, or returns that overflow). The run
// stops before the update, naming the algorithm and the update.

public enum RLError: Error, CustomStringConvertible, Equatable {
    case nonFiniteLoss(algorithm: String, update: Int, loss: Float)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let algorithm, let update, let loss):
            return "\(algorithm): the loss became \(loss) at update \(update); stopping before the weights move"
        }
    }
}
