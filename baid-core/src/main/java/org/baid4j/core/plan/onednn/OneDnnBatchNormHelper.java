package org.baid4j.core.plan.onednn;

import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.baid4j.core.plan.onednn.OneDnnPrimitives.dense;
import static org.baid4j.core.plan.onednn.OneDnnPrimitives.kept;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * BatchNorm on oneDNN's own batch-normalisation primitives ({@link OneDnnPrimitives}): in training
 * mode one primitive computes the batch statistics and normalises, and one computes the whole
 * backward pass (input gradient, gamma and beta gradients). DL4J's oneDNN helper computes the
 * statistics with ND4J reductions across the non-contiguous batch and spatial axes and runs
 * libnd4j's {@code batchnorm_bp}, several passes over the maps each; in NHWC the primitives read
 * the channels contiguously. Same arithmetic as the reference: biased batch variance for
 * normalising, eps inside the root. {@link #install} puts it into a layer in place of DL4J's
 * oneDNN helper; on other backends (cuDNN, helpers off), or where the preset's natives do not
 * load, the layer keeps what DL4J chose.
 */
public final class OneDnnBatchNormHelper implements BatchNormalizationHelper {
    private static final Field LAYER_HELPER = helperField();
    private static final Map<Key, Primitives> PRIMITIVES = new ConcurrentHashMap<>();

    private INDArray meanCache;
    private INDArray varCache;

    /** Puts this helper into {@code layer} where oneDNN runs (see {@link OneDnn}); leaves it as it is elsewhere. */
    public static void install(BatchNormalization layer) {
        if (!OneDnn.available()) {
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
        if (x.dataType() != DataType.FLOAT || x.rank() != 4 || gamma == null || beta == null) {
            return null;   // DL4J's built-in implementation
        }
        x = dense(x);
        Primitives p = primitives(x, format, eps);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape());
        if (training) {
            long channels = x.size(channelAxis(format));
            if (meanCache == null || meanCache.length() != channels) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    meanCache = Nd4j.createUninitialized(DataType.FLOAT, channels);
                    varCache = Nd4j.createUninitialized(DataType.FLOAT, channels);
                }
            }
            OneDnnPrimitives.execute(p.training, p.trainingScratchpad, DNNL_ARG_SRC, p.maps, x, DNNL_ARG_DST, p.maps, out,
                    DNNL_ARG_SCALE, p.channels, dense(gamma), DNNL_ARG_SHIFT, p.channels, dense(beta),
                    DNNL_ARG_MEAN, p.channels, meanCache, DNNL_ARG_VARIANCE, p.channels, varCache);
        } else {
            OneDnnPrimitives.execute(p.inference, p.inferenceScratchpad, DNNL_ARG_SRC, p.maps, x, DNNL_ARG_DST, p.maps, out,
                    DNNL_ARG_SCALE, p.channels, dense(gamma), DNNL_ARG_SHIFT, p.channels, dense(beta),
                    DNNL_ARG_MEAN, p.channels, dense(mean), DNNL_ARG_VARIANCE, p.channels, dense(var));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (input.dataType() != DataType.FLOAT || input.rank() != 4 || gamma == null || beta == null
                || meanCache == null || !OneDnnPrimitives.isDense(dGammaView) || !OneDnnPrimitives.isDense(dBetaView)) {
            return null;
        }
        INDArray x = dense(input);
        Primitives p = primitives(x, format, eps);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape());
        OneDnnPrimitives.execute(p.backward, p.backwardScratchpad, DNNL_ARG_SRC, p.maps, x, DNNL_ARG_DIFF_DST, p.maps, dense(epsilon),
                DNNL_ARG_SCALE, p.channels, dense(gamma), DNNL_ARG_SHIFT, p.channels, dense(beta),
                DNNL_ARG_MEAN, p.channels, meanCache, DNNL_ARG_VARIANCE, p.channels, varCache,
                DNNL_ARG_DIFF_SRC, p.maps, dx,
                DNNL_ARG_DIFF_SCALE, p.channels, dGammaView, DNNL_ARG_DIFF_SHIFT, p.channels, dBetaView);
        Gradient grad = new DefaultGradient();
        grad.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        grad.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(grad, dx);
    }

    /** The three primitives of one map shape, made once and kept (oneDNN compiles each for its shape). */
    private record Primitives(memory.desc maps, memory.desc channels, batch_normalization_forward training,
                              batch_normalization_forward inference, batch_normalization_backward backward,
                              memory.desc trainingScratchpad, memory.desc inferenceScratchpad,
                              memory.desc backwardScratchpad) {
    }

    private record Key(long[] shape, CNN2DFormat format, float eps) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(shape, k.shape) && format == k.format && eps == k.eps;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(shape) + format.hashCode()) + Float.hashCode(eps);
        }
    }

    private static Primitives primitives(INDArray x, CNN2DFormat format, double eps) {
        return PRIMITIVES.computeIfAbsent(new Key(x.shape(), format, (float) eps), OneDnnBatchNormHelper::create);
    }

    private static Primitives create(Key key) {
        long[] s = key.shape();
        // oneDNN's logical order is always (N, C, H, W); the tag says how the array lies in memory.
        long[] nchw = key.format() == CNN2DFormat.NCHW ? s : new long[]{s[0], s[3], s[1], s[2]};
        memory.desc maps = kept(new memory.desc(nchw, memory.data_type.f32,
                key.format() == CNN2DFormat.NCHW ? memory.format_tag.nchw : memory.format_tag.nhwc));
        memory.desc channels = kept(new memory.desc(new long[]{nchw[1]}, memory.data_type.f32, memory.format_tag.a));
        int scaleShift = normalization_flags.use_scale.value | normalization_flags.use_shift.value;
        primitive_attr attr = OneDnnPrimitives.userScratchpad();
        batch_normalization_forward.primitive_desc training = new batch_normalization_forward.primitive_desc(
                new batch_normalization_forward.desc(prop_kind.forward_training.value, maps, key.eps(), scaleShift),
                attr, OneDnnPrimitives.engine());
        batch_normalization_forward.primitive_desc inference = new batch_normalization_forward.primitive_desc(
                new batch_normalization_forward.desc(prop_kind.forward_inference.value, maps, key.eps(),
                        scaleShift | normalization_flags.use_global_stats.value),
                attr, OneDnnPrimitives.engine());
        batch_normalization_backward.primitive_desc backward = new batch_normalization_backward.primitive_desc(
                new batch_normalization_backward.desc(prop_kind.backward.value, maps, maps, key.eps(), scaleShift),
                attr, OneDnnPrimitives.engine(), training);
        return new Primitives(maps, channels, kept(new batch_normalization_forward(training)),
                kept(new batch_normalization_forward(inference)), kept(new batch_normalization_backward(backward)),
                kept(training.scratchpad_desc()), kept(inference.scratchpad_desc()), kept(backward.scratchpad_desc()));
    }

    private static int channelAxis(CNN2DFormat format) {
        return format == CNN2DFormat.NCHW ? 1 : 3;
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
