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
    private INDArray weights;
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

    /** The folded weights [O, C, kH, kW] of {@code convWeights}. */
    synchronized INDArray weights(INDArray convWeights, INDArray convBias) {
        if (weights == null) {
            fold(convWeights, convBias);
        }
        return weights;
    }

    /** The folded bias [O]. */
    synchronized INDArray bias(INDArray convWeights, INDArray convBias) {
        if (bias == null) {
            fold(convWeights, convBias);
        }
        return bias;
    }

    /** Folds again on the next call: the parameters changed. */
    synchronized void clear() {
        weights = null;
        bias = null;
    }

    private void fold(INDArray convWeights, INDArray convBias) {
        double eps = batchNorm.layerConf().getEps();
        long out = convWeights.size(0);
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            // In double precision, rounded to float once.
            INDArray scale = param(BatchNormalizationParamInitializer.GAMMA)
                    .divi(Transforms.sqrt(param(BatchNormalizationParamInitializer.GLOBAL_VAR).addi(eps), false));
            INDArray b = convBias == null ? Nd4j.zeros(DataType.DOUBLE, out) : convBias.castTo(DataType.DOUBLE).reshape(out).dup();
            b.subi(param(BatchNormalizationParamInitializer.GLOBAL_MEAN)).muli(scale).addi(param(BatchNormalizationParamInitializer.BETA));
            INDArray w = convWeights.castTo(DataType.DOUBLE).dup('c');
            w.reshape('c', out, convWeights.length() / out).muliColumnVector(scale.reshape(out, 1));
            weights = w.castTo(DataType.FLOAT);
            bias = b.castTo(DataType.FLOAT);
            w.close();   // a layer's weights in double: freed now rather than at the next collection
        }
    }

    /** A copy of the BatchNorm's parameter {@code key}, in double precision, as a vector. */
    private INDArray param(String key) {
        INDArray p = batchNorm.getParam(key);
        return p.castTo(DataType.DOUBLE).reshape(p.length()).dup();
    }
}
