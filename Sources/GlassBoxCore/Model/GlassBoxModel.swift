/// Upstream's preprocessing: `xc = x − mean`, then (optionally) sklearn PCA scores
/// `u = (xc − pca.mean) · componentsᵀ`.
public struct Preprocessing: Equatable, Sendable {
    /// The training mean, one value per feature (d).
    public var mean: Tensor
    public var pca: PCAProjection?

    public init(mean: Tensor, pca: PCAProjection?) {
        self.mean = mean
        self.pca = pca
    }

    public var featureCount: Int { mean.count }
}

/// The parts of a fitted `sklearn.decomposition.PCA` that inference needs.
public struct PCAProjection: Equatable, Sendable {
    /// `components_`, shape (k, d).
    public var components: Tensor
    /// `mean_`, shape (d,): near, but not exactly, zero after upstream's centering.
    public var mean: Tensor

    public init(components: Tensor, mean: Tensor) {
        self.components = components
        self.mean = mean
    }

    public var componentCount: Int { components.shape[0] }
}

/// A trained Glass Box UMAP model: preprocessing, encoder and the attributes it was trained with.
public struct GlassBoxModel: Equatable, Sendable {
    public var encoder: Encoder
    public var preprocessing: Preprocessing
    /// Upstream's `attrs` (n_neighbors, min_dist, encoder_kwargs, …) in file order.
    public var attributes: [(key: String, value: AttributeValue)]
    /// Feature names carried by the model (portable formats), used to match dataset columns.
    public var featureNames: [String]?
    /// Upstream's `input_dims`.
    public var inputDims: [Int]

    public init(
        encoder: Encoder, preprocessing: Preprocessing, attributes: [(key: String, value: AttributeValue)] = [],
        featureNames: [String]? = nil, inputDims: [Int]? = nil, file: String = "<model>"
    ) throws {
        guard preprocessing.featureCount > 0 else {
            throw InputError(file: file, field: "mean", message: "the training mean is empty: a model needs at least one feature")
        }
        let encoderInput = preprocessing.pca?.componentCount ?? preprocessing.featureCount
        if let pca = preprocessing.pca {
            guard pca.components.rank == 2, pca.components.shape[1] == preprocessing.featureCount else {
                throw InputError(
                    file: file, field: "pca.components_",
                    message:
                        "PCA components have shape \(pca.components.shapeDescription) but the training mean has \(preprocessing.featureCount) features"
                )
            }
            guard pca.mean.count == preprocessing.featureCount else {
                throw InputError(
                    file: file, field: "pca.mean_",
                    message: "PCA mean has \(pca.mean.count) values but the training mean has \(preprocessing.featureCount)")
            }
        }
        guard encoder.inputWidth == encoderInput else {
            let source = preprocessing.pca == nil ? "features (training mean)" : "PCA components"
            throw InputError(
                file: file, field: "state_dict",
                message: "the encoder takes \(encoder.inputWidth) inputs but the preprocessing gives \(encoderInput) \(source)")
        }
        if let inputDims {
            // Every format's input_dims ends here; a product that overflows is refused, not skipped.
            guard let n = TorchTensorView.elementCount(inputDims) else {
                throw InputError(file: file, field: "input_dims", message: "input_dims \(inputDims) has more values than can be counted")
            }
            guard n == encoderInput else {
                throw InputError(
                    file: file, field: "input_dims",
                    message: "input_dims \(inputDims) has \(n) values but the encoder takes \(encoderInput) inputs")
            }
        }
        if let names = featureNames, names.count != preprocessing.featureCount {
            throw InputError(
                file: file, field: "feature_names", message: "\(names.count) feature names for \(preprocessing.featureCount) features")
        }
        for (name, t) in [
            ("mean", preprocessing.mean), ("pca.components_", preprocessing.pca?.components), ("pca.mean_", preprocessing.pca?.mean),
        ] {
            if let t, t.values.contains(where: { !$0.isFinite }) {
                throw InputError(file: file, field: name, message: "contains NaN or infinite values")
            }
        }
        self.encoder = encoder
        self.preprocessing = preprocessing
        self.attributes = attributes
        self.featureNames = featureNames
        self.inputDims = inputDims ?? [encoderInput]
    }

    /// d: the number of features a sample has.
    public var featureCount: Int { preprocessing.featureCount }
    /// k: the PCA components, or nil without PCA.
    public var pcaComponentCount: Int? { preprocessing.pca?.componentCount }
    /// m: the embedding's dimensions.
    public var outputCount: Int { encoder.outputWidth }
    public var parameterCount: Int { encoder.parameterCount }

    public func attribute(_ key: String) -> AttributeValue? {
        attributes.first { $0.key == key }?.value
    }

    public static func == (a: GlassBoxModel, b: GlassBoxModel) -> Bool {
        a.encoder == b.encoder && a.preprocessing == b.preprocessing && a.featureNames == b.featureNames
            && a.inputDims == b.inputDims && a.attributes.map(\.key) == b.attributes.map(\.key)
            && a.attributes.map(\.value) == b.attributes.map(\.value)
    }
}
