// LabKit: what every lab shares. Data readers and writers (Data/), splits,
// scalers and metrics (Evaluation/), PNG plots (Plot/), the progress bar, the
// JSON report and the shared lab options (Report/).
@_exported import Tensor
