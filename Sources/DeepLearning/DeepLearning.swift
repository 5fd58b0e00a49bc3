// DeepLearning: phase 4's training on real data — data loading with
// shuffling and augmentation, the classic networks (MLP, LeNet-5, a small
// ResNet, character-level LSTM/GRU language models) and a training loop with
// evaluation, checkpoints and resume — all on NN's layers and Autograd.
@_exported import Autograd
@_exported import NN
@_exported import Tensor
@_exported import LabKit
@_exported import Tokenizers
