package org.baid4j.core.plan.onednn;

import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.baid4j.core.plan.onednn.OneDnnPrimitives.kept;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * The weight (and bias) gradient of an NHWC convolution, without its input gradient, by oneDNN's
 * backward-weights primitive: for a convolution on the image, whose input gradient nobody reads.
 * libnd4j's {@code conv2d_bp} always computes both, and for ResNet's 7x7 stem on three channels the
 * input gradient costs several times the weight gradient. Runs in oneDNN's blocked layout, the
 * NHWC arrays reordered on the way through a scratch array per thread.
 */
public final class ConvolutionWeightGradient {
    private static final Map<Key, Primitives> PRIMITIVES = new ConcurrentHashMap<>();
    private static final ThreadLocal<INDArray> SCRATCH = new ThreadLocal<>();

    private ConvolutionWeightGradient() {
    }

    /** True when the preset's natives load here. */
    public static boolean available() {
        return OneDnnPrimitives.available();
    }

    /**
     * Writes the gradient of {@code conv(x, weights) [+ bias]} with respect to the weights
     * ([O, C, kH, kW], dense) and the bias ([O] or [1, O], dense; null for none), given the output
     * gradient {@code dy} [N, OH, OW, O] and the input {@code x} [N, H, W, C] (both copied first
     * where not dense). Square kernel, stride and symmetric padding, no dilation.
     */
    public static void compute(INDArray x, INDArray dy, long kernel, long stride, long padding,
                               INDArray weightGradient, INDArray biasGradient) {
        x = OneDnnPrimitives.dense(x);
        dy = OneDnnPrimitives.dense(dy);
        Primitives p = PRIMITIVES.computeIfAbsent(new Key(x.size(0), x.size(1), x.size(2), x.size(3), dy.size(3),
                kernel, stride, padding, biasGradient != null), ConvolutionWeightGradient::create);
        INDArray[] blocked = OneDnnPrimitives.threadParts(SCRATCH, p.blockedSrc, p.blockedDiffDst, p.blockedDiffWeights);
        INDArray blockedX = blocked[0];
        INDArray blockedDy = blocked[1];
        INDArray blockedDw = blocked[2];
        p.srcToBlocked.run(x, blockedX);
        p.diffDstToBlocked.run(dy, blockedDy);
        if (biasGradient == null) {
            OneDnnPrimitives.execute(p.backward, p.scratchpad, DNNL_ARG_SRC, p.blockedSrc, blockedX,
                    DNNL_ARG_DIFF_DST, p.blockedDiffDst, blockedDy, DNNL_ARG_DIFF_WEIGHTS, p.blockedDiffWeights, blockedDw);
        } else {
            OneDnnPrimitives.execute(p.backward, p.scratchpad, DNNL_ARG_SRC, p.blockedSrc, blockedX,
                    DNNL_ARG_DIFF_DST, p.blockedDiffDst, blockedDy, DNNL_ARG_DIFF_WEIGHTS, p.blockedDiffWeights, blockedDw,
                    DNNL_ARG_DIFF_BIAS, p.bias, biasGradient);
        }
        p.diffWeightsToOihw.run(blockedDw, weightGradient);
    }

    private record Key(long n, long h, long w, long in, long out, long kernel, long stride, long padding, boolean bias) {
    }

    private record Primitives(memory.desc bias, memory.desc blockedSrc, memory.desc blockedDiffDst,
                              memory.desc blockedDiffWeights, memory.desc scratchpad, convolution_backward_weights backward,
                              OneDnnPrimitives.Reorder srcToBlocked, OneDnnPrimitives.Reorder diffDstToBlocked,
                              OneDnnPrimitives.Reorder diffWeightsToOihw) {
    }

    private static Primitives create(Key k) {
        long outHeight = (k.h() + 2 * k.padding() - k.kernel()) / k.stride() + 1;
        long outWidth = (k.w() + 2 * k.padding() - k.kernel()) / k.stride() + 1;
        long[] src = {k.n(), k.in(), k.h(), k.w()};
        long[] dst = {k.n(), k.out(), outHeight, outWidth};
        long[] weights = {k.out(), k.in(), k.kernel(), k.kernel()};
        long[] strides = {k.stride(), k.stride()};
        long[] padding = {k.padding(), k.padding()};
        memory.desc bias = kept(OneDnnPrimitives.desc(memory.format_tag.a, k.out()));
        memory.desc anySrc = OneDnnPrimitives.desc(memory.format_tag.any, src);
        memory.desc anyWeights = OneDnnPrimitives.desc(memory.format_tag.any, weights);
        memory.desc anyDst = OneDnnPrimitives.desc(memory.format_tag.any, dst);
        // The forward primitive oneDNN wants as a hint for the backward one; it never runs.
        convolution_forward.primitive_desc hint = new convolution_forward.primitive_desc(
                k.bias() ? new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct,
                        anySrc, anyWeights, bias, anyDst, strides, padding, padding)
                        : new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct,
                        anySrc, anyWeights, anyDst, strides, padding, padding),
                OneDnnPrimitives.engine());
        convolution_backward_weights.primitive_desc pd = kept(new convolution_backward_weights.primitive_desc(
                k.bias() ? new convolution_backward_weights.desc(algorithm.convolution_direct, anySrc, anyWeights, bias,
                        anyDst, strides, padding, padding)
                        : new convolution_backward_weights.desc(algorithm.convolution_direct, anySrc, anyWeights,
                        anyDst, strides, padding, padding),
                OneDnnPrimitives.userScratchpad(), OneDnnPrimitives.engine(), hint));
        memory.desc nhwcSrc = kept(OneDnnPrimitives.desc(memory.format_tag.nhwc, src));
        memory.desc nhwcDiffDst = kept(OneDnnPrimitives.desc(memory.format_tag.nhwc, dst));
        memory.desc oihw = kept(OneDnnPrimitives.desc(memory.format_tag.oihw, weights));
        memory.desc blockedSrc = kept(pd.src_desc());
        memory.desc blockedDiffDst = kept(pd.diff_dst_desc());
        memory.desc blockedDiffWeights = kept(pd.diff_weights_desc());
        return new Primitives(bias, blockedSrc, blockedDiffDst, blockedDiffWeights,
                kept(pd.scratchpad_desc()), kept(new convolution_backward_weights(pd)),
                OneDnnPrimitives.reorder(nhwcSrc, blockedSrc), OneDnnPrimitives.reorder(nhwcDiffDst, blockedDiffDst),
                OneDnnPrimitives.reorder(blockedDiffWeights, oihw));
    }
}
