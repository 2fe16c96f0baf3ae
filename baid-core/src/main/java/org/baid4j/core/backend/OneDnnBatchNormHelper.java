package org.baid4j.core.backend;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SquaredDifferenceOp;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;

/**
 * BatchNorm on oneDNN as DL4J's {@link MKLDNNBatchNormHelper} runs it (libnd4j's {@code batchnorm}
 * op, which oneDNN runs given the statistics), with the batch statistics and the backward pass
 * computed in fewer passes over the maps:
 * <ul>
 *   <li>training statistics, where DL4J's helper runs ND4J's {@code mean} and {@code Variance}
 *       reductions across the non-contiguous batch and spatial axes: in NCHW by libnd4j's
 *       {@code moments} op (one op, four times faster), in NHWC by oneDNN's global average
 *       pooling of x and of {@code (x - mean)^2} (ten times faster than {@code moments} there);</li>
 *   <li>the backward pass in closed form, {@code dx = gamma/std * (dy - mean(dy) - xhat *
 *       mean(dy * xhat))}: two channel sums (NCHW: contiguous row sums and dot products per
 *       (image, channel); NHWC: the pooling of dy and dy * x; added up per channel in double), then {@code dx = k * dy + t} where
 *       {@code t} is the {@code batchnorm} op itself applied to x with per-channel scale and shift.
 *       libnd4j's {@code batchnorm_bp} (what DL4J's helper calls) makes several more passes.</li>
 * </ul>
 * Same arithmetic as the reference: biased batch variance for normalising, eps inside the root.
 * {@link #install} puts it into a layer in place of DL4J's oneDNN helper; on other backends (cuDNN,
 * helpers off) the layer keeps what DL4J chose.
 */
public final class OneDnnBatchNormHelper implements BatchNormalizationHelper {
    private static final Field LAYER_HELPER = helperField();

    private INDArray meanCache;
    private INDArray varCache;

    /** Replaces DL4J's oneDNN helper of {@code layer} by this one; leaves any other helper (or none) as it is. */
    public static void install(BatchNormalization layer) {
        if (!(layer.getHelper() instanceof MKLDNNBatchNormHelper)) {
            return;
        }
        try {
            LAYER_HELPER.set(layer, new OneDnnBatchNormHelper());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set the BatchNorm helper of " + layer.getClass().getName(), e);
        }
    }

    // DL4J keeps the helper in a package-private field and offers no way to choose it.
    private static Field helperField() {
        try {
            Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's BatchNormalization has no field 'helper' (DL4J version changed?)", e);
        }
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (x.dataType() != DataType.FLOAT || x.rank() != 4) {
            return null;   // DL4J's built-in implementation
        }
        INDArray m;
        INDArray v;
        if (training) {
            if (meanCache == null || meanCache.length() != x.size(channelAxis(format))) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    meanCache = Nd4j.createUninitialized(DataType.FLOAT, x.size(channelAxis(format)));
                    varCache = Nd4j.createUninitialized(DataType.FLOAT, x.size(channelAxis(format)));
                }
            }
            if (format == CNN2DFormat.NCHW) {
                Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(x).addOutputs(meanCache, varCache)
                        .addIntegerArguments(reductionAxes(format)).build());
            } else {
                channelsLastMoments(x, workspaceMgr);
            }
            m = meanCache;
            v = varCache;
        } else {
            m = mean.reshape(mean.length());
            v = var.reshape(var.length());
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        return batchNorm(x, m, v, vector(gamma), vector(beta), eps, format, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (input.dataType() != DataType.FLOAT || input.rank() != 4 || gamma == null || meanCache == null) {
            return null;
        }
        int c = channelAxis(format);
        long channels = input.size(c);
        double perChannel = (double) input.length() / channels;
        double[] sumDy = new double[(int) channels];
        double[] sumDyX = new double[(int) channels];
        channelSums(input, epsilon, format, sumDy, sumDyX);

        double[] mu = meanCache.toDoubleVector();
        double[] variance = varCache.toDoubleVector();
        double[] g = gamma.reshape(gamma.length()).toDoubleVector();
        double[] k = new double[(int) channels];
        double[] tScale = new double[(int) channels];
        double[] tShift = new double[(int) channels];
        double[] dGamma = new double[(int) channels];
        for (int i = 0; i < channels; i++) {
            double invStd = 1 / Math.sqrt(variance[i] + eps);
            dGamma[i] = invStd * (sumDyX[i] - mu[i] * sumDy[i]);   // sum(dy * xhat)
            k[i] = g[i] * invStd;
            tScale[i] = -k[i] * dGamma[i] / perChannel;
            tShift[i] = -k[i] * sumDy[i] / perChannel;
        }
        dGammaView.assign(floats(dGamma).reshape(dGammaView.shape()));
        dBetaView.assign(floats(sumDy).reshape(dBetaView.shape()));

        // t = xhat * tScale + tShift, by the forward op on the same statistics; then dx = k * dy + t.
        INDArray t = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, input.shape());
        batchNorm(input, meanCache, varCache, floats(tScale), floats(tShift), eps, format, t);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape());
        Nd4j.exec(new BroadcastMulOp(epsilon, floats(k), dx, c));
        dx.addi(t);

        Gradient grad = new DefaultGradient();
        grad.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        grad.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(grad, dx);
    }

    /** Per channel: the sum of dy and of dy * x over the batch and the map, in double. */
    private static void channelSums(INDArray x, INDArray dy, CNN2DFormat format, double[] sumDy, double[] sumDyX) {
        int channels = sumDy.length;
        if (format == CNN2DFormat.NCHW) {
            // Rows of one (image, channel) map are contiguous: float sums over a map, then double across images.
            long rowsCount = x.size(0) * channels;
            long rowLength = x.length() / rowsCount;
            INDArray xRows = contiguous(x).reshape('c', rowsCount, rowLength);
            INDArray dyRows = contiguous(dy).reshape('c', rowsCount, rowLength);
            double[] s = dyRows.sum(1).toDoubleVector();
            double[] d = Nd4j.exec(new Dot(dyRows, xRows, Nd4j.createUninitialized(DataType.FLOAT, rowsCount), 1))
                    .toDoubleVector();
            for (int r = 0; r < rowsCount; r++) {
                sumDy[r % channels] += s[r];
                sumDyX[r % channels] += d[r];
            }
        } else {
            double mapSize = (double) x.size(1) * x.size(2);
            addAcrossImages(mapMeans(dy), mapSize, sumDy);
            addAcrossImages(mapMeans(dy.mul(x)), mapSize, sumDyX);
        }
    }

    /**
     * NHWC mean and variance into the caches, in two passes: per-image means by a global average
     * pooling (oneDNN's pooling runs along the contiguous channels; ND4J's reductions across the
     * batch and spatial axes of NHWC are ten times slower), then the same pooling of
     * {@code (x - mean)^2}.
     */
    private void channelsLastMoments(INDArray x, LayerWorkspaceMgr workspaceMgr) {
        int channels = (int) x.size(3);
        double[] mean = new double[channels];
        addAcrossImages(mapMeans(x), 1.0 / x.size(0), mean);
        meanCache.assign(floats(mean));
        INDArray squares = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, x.shape());
        Nd4j.exec(new SquaredDifferenceOp(x, meanCache, squares));   // one pass, broadcast along the channels
        double[] variance = new double[channels];
        addAcrossImages(mapMeans(squares), 1.0 / x.size(0), variance);
        varCache.assign(floats(variance));
    }

    /** Per image and channel, the mean over the map of NHWC {@code a}: [N, C]. */
    private static INDArray mapMeans(INDArray a) {
        long n = a.size(0);
        long channels = a.size(3);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n, 1, 1, channels);
        Nd4j.exec(DynamicCustomOp.builder("avgpool2d").addInputs(a).addOutputs(out)
                // kernel, stride, padding, dilation, same mode, divisor mode, NHWC
                .addIntegerArguments((int) a.size(1), (int) a.size(2), 1, 1, 0, 0, 1, 1, 0, 0, 1).build());
        return out.reshape(n, channels);
    }

    /** {@code total[c] += factor * sum over images of perImage[n, c]}, in double. */
    private static void addAcrossImages(INDArray perImage, double factor, double[] total) {
        double[] v = perImage.reshape(perImage.length()).toDoubleVector();
        for (int i = 0; i < v.length; i++) {
            total[i % total.length] += factor * v[i];
        }
    }

    private static INDArray batchNorm(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, double eps,
                                      CNN2DFormat format, INDArray out) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("batchnorm")
                .addInputs(gamma == null ? new INDArray[]{x, mean, var} : new INDArray[]{x, mean, var, gamma, beta})
                .addOutputs(out)
                .addIntegerArguments(gamma == null ? 0 : 1, beta == null ? 0 : 1, channelAxis(format))
                .addFloatingPointArguments(eps);
        Nd4j.exec(op.build());
        return out;
    }

    private static int channelAxis(CNN2DFormat format) {
        return format == CNN2DFormat.NCHW ? 1 : 3;
    }

    private static int[] reductionAxes(CNN2DFormat format) {
        return format == CNN2DFormat.NCHW ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
    }

    private static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a) && a.offset() == 0
                ? a : a.dup('c');
    }

    private static INDArray vector(INDArray a) {
        return a == null || a.rank() == 1 ? a : a.reshape(a.length());
    }

    private static INDArray floats(double[] values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}
