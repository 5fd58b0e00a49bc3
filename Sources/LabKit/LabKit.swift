// LabKit: what every lab shares. The labs' datasets (Data/: MNIST, CSV tables,
// the synthetic sets, text windows), PNG plots (Plot/), the progress bar, the
// JSON report and the shared lab options (Report/), timing (Benchmark/).
// It sits above the file formats (TensorIO) and scikit-learn's core
// (Evaluation) and re-exports both, so that a lab imports one module.
@_exported import Evaluation
@_exported import Tensor
@_exported import TensorIO
