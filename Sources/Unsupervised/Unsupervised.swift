// Unsupervised: phase 3's models that learn from X alone.
//
// Clustering (k-means with k-means++ and mini-batch k-means, DBSCAN over a
// spatial index), the silhouette score and the elbow curve; linear projection
// (PCA by covariance eigendecomposition, by SVD and by randomized SVD); and a
// non-linear map for pictures (t-SNE). Shared by them: squared Euclidean
// distances computed as one matrix product (PairwiseDistances.swift).
@_exported import Evaluation
@_exported import Tensor
