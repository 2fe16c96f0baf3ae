package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * An inference BatchNorm folded into the convolution it reads: {@code gamma (conv(x) + b - mean) /
 * sqrt(var + eps) + beta} is a convolution with weights scaled by {@code s = gamma / sqrt(var + eps)}
 * per output channel and bias {@code beta + s (b - mean)}; and what follows it in the same
 * primitive (a residual add, a ReLU). Folded once, in double precision, for parameters that do not
 * change ({@link ChannelsLastConvolutionLayer#fixParameters}).
 */
public final class FoldedBatchNorm {
    private final BatchNormalization batchNorm;
    private final boolean sum;
    private final boolean relu;
    private INDArray bias;

    public FoldedBatchNorm(BatchNormalization batchNorm, boolean sum, boolean relu) {
        this.batchNorm = batchNorm;
        this.sum = sum;
        this.relu = relu;
    }

    /** Whether the output array holds a residual branch to add on the way in. */
    boolean sum() {
        return sum;
    }

    boolean relu() {
        return relu;
    }

    /**
     * The folded weights [O, C, kH, kW] of {@code convWeights}, folded anew on each call: they are
     * asked for once per input shape, reordered into the primitive's layout and kept as that.
     */
    INDArray weights(INDArray convWeights, INDArray convBias) {
        return fold(convWeights, convBias, true);
    }

    /** The folded bias [O], kept. */
    synchronized INDArray bias(INDArray convWeights, INDArray convBias) {
        if (bias == null) {
            bias = fold(convWeights, convBias, false);
        }
        return bias;
    }

    /** Folds again on the next call: the parameters changed. */
    synchronized void clear() {
        bias = null;
    }

    private INDArray fold(INDArray convWeights, INDArray convBias, boolean weights) {
        double eps = batchNorm.layerConf().getEps();
        long out = convWeights.size(0);
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            // The per-channel terms in double precision.
            INDArray scale = param(BatchNormalizationParamInitializer.GAMMA)
                    .divi(Transforms.sqrt(param(BatchNormalizationParamInitializer.GLOBAL_VAR).addi(eps), false));
            if (!weights) {
                INDArray b = convBias == null ? Nd4j.zeros(DataType.DOUBLE, out) : convBias.castTo(DataType.DOUBLE).reshape(out).dup();
                b.subi(param(BatchNormalizationParamInitializer.GLOBAL_MEAN)).muli(scale).addi(param(BatchNormalizationParamInitializer.BETA));
                return b.castTo(DataType.FLOAT);
            }
            // One copy of the weights, scaled in place (a double copy, made and freed for every
            // layer, left 100 MB in the allocator's free lists of a scoring process).
            INDArray w = convWeights.dup('c');
            w.reshape('c', out, convWeights.length() / out).muliColumnVector(scale.castTo(DataType.FLOAT).reshape(out, 1));
            return w;
        }
    }

    /** A copy of the BatchNorm's parameter {@code key}, in double precision, as a vector. */
    private INDArray param(String key) {
        INDArray p = batchNorm.getParam(key);
        return p.castTo(DataType.DOUBLE).reshape(p.length()).dup();
    }
}
