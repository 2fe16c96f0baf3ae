package org.baid4j.core.plan.onednn;

import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.baid4j.core.plan.onednn.OneDnnPrimitives.kept;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * The backward pass of a convolution without activation on NHWC maps: the input's gradient by
 * oneDNN's backward-data primitive, the weights' (and bias's) by its backward-weights primitive.
 * Both read and write the maps in place, in NHWC; only the weights and their gradient, small, go
 * through the primitives' layouts, in a scratch array per thread. The primitives are made once per
 * shape. libnd4j's {@code conv2d_bp} makes its primitives and reorders the maps and weights into
 * new memory on every call: in a SAAN training step that was 0.9 GB allocated and freed, and the
 * larger part of the content ResNet's backward time.
 */
public final class ConvolutionBackward {
    private static final Map<Shape, Primitives> PRIMITIVES = new ConcurrentHashMap<>();
    private static final ThreadLocal<INDArray> SCRATCH = new ThreadLocal<>();

    private ConvolutionBackward() {
    }

    /** True when the preset's natives load here. */
    public static boolean available() {
        return OneDnnPrimitives.available();
    }

    /** How many shapes have primitives made so far (each made once). */
    public static int shapesMade() {
        return PRIMITIVES.size();
    }

    /**
     * Given the output gradient {@code dy} [N, OH, OW, O] of {@code conv(x, weights) [+ bias]}, with
     * x [N, H, W, C] (both copied first where not dense) and weights [O, C, kH, kW] (dense): writes
     * the input's gradient into {@code dx} [N, H, W, C] (dense), the weights' into
     * {@code weightGradient} [O, C, kH, kW] (dense) and the bias's into {@code biasGradient} ([O] or
     * [1, O], dense; null for a convolution without bias). The settings' kernel, stride and padding
     * apply (DL4J's "Truncate" output size); their fusions do not.
     */
    public static void compute(INDArray x, INDArray weights, INDArray dy, ConvolutionForward.Settings s,
                               INDArray dx, INDArray weightGradient, INDArray biasGradient) {
        x = OneDnnPrimitives.dense(x);
        dy = OneDnnPrimitives.dense(dy);
        Primitives p = PRIMITIVES.computeIfAbsent(new Shape(x.size(0), x.size(3), x.size(1), x.size(2), weights.size(0),
                s.kernelHeight(), s.kernelWidth(), s.strideHeight(), s.strideWidth(), s.padHeight(), s.padWidth(),
                biasGradient != null), ConvolutionBackward::create);
        INDArray[] parts = OneDnnPrimitives.threadParts(SCRATCH, p.dataWeights, p.diffWeights);
        INDArray blockedW = parts[0];
        INDArray blockedDw = parts[1];
        p.weightsToData.run(weights, blockedW);
        OneDnnPrimitives.execute(p.backwardData, p.dataScratchpad, DNNL_ARG_DIFF_DST, p.dst, dy,
                DNNL_ARG_WEIGHTS, p.dataWeights, blockedW, DNNL_ARG_DIFF_SRC, p.src, dx);
        if (biasGradient == null) {
            OneDnnPrimitives.execute(p.backwardWeights, p.weightsScratchpad, DNNL_ARG_SRC, p.src, x,
                    DNNL_ARG_DIFF_DST, p.dst, dy, DNNL_ARG_DIFF_WEIGHTS, p.diffWeights, blockedDw);
        } else {
            OneDnnPrimitives.execute(p.backwardWeights, p.weightsScratchpad, DNNL_ARG_SRC, p.src, x,
                    DNNL_ARG_DIFF_DST, p.dst, dy, DNNL_ARG_DIFF_WEIGHTS, p.diffWeights, blockedDw,
                    DNNL_ARG_DIFF_BIAS, p.bias, biasGradient);
        }
        p.diffWeightsToOihw.run(blockedDw, weightGradient);
    }

    private record Shape(long n, long in, long h, long w, long out, int kernelHeight, int kernelWidth,
                         int strideHeight, int strideWidth, int padHeight, int padWidth, boolean bias) {
    }

    private record Primitives(memory.desc src, memory.desc dst, memory.desc bias, memory.desc dataWeights,
                              memory.desc diffWeights, memory.desc dataScratchpad, memory.desc weightsScratchpad,
                              convolution_backward_data backwardData, convolution_backward_weights backwardWeights,
                              OneDnnPrimitives.Reorder weightsToData, OneDnnPrimitives.Reorder diffWeightsToOihw) {
    }

    private static Primitives create(Shape k) {
        long oh = ConvolutionForward.outputSize(k.h(), k.kernelHeight(), k.strideHeight(), k.padHeight());
        long ow = ConvolutionForward.outputSize(k.w(), k.kernelWidth(), k.strideWidth(), k.padWidth());
        memory.desc src = kept(OneDnnPrimitives.desc(memory.format_tag.nhwc, k.n(), k.in(), k.h(), k.w()));
        memory.desc dst = kept(OneDnnPrimitives.desc(memory.format_tag.nhwc, k.n(), k.out(), oh, ow));
        memory.desc bias = kept(OneDnnPrimitives.desc(memory.format_tag.a, k.out()));
        memory.desc oihw = kept(OneDnnPrimitives.desc(memory.format_tag.oihw, k.out(), k.in(), k.kernelHeight(), k.kernelWidth()));
        memory.desc anyWeights = OneDnnPrimitives.desc(memory.format_tag.any, k.out(), k.in(), k.kernelHeight(), k.kernelWidth());
        long[] strides = {k.strideHeight(), k.strideWidth()};
        long[] dilation = {0, 0};
        // As ConvolutionForward: the right and bottom padding that gives Truncate's output size.
        long[] padLeft = {k.padHeight(), k.padWidth()};
        long[] padRight = {(oh - 1) * k.strideHeight() + k.kernelHeight() - k.h() - k.padHeight(),
                (ow - 1) * k.strideWidth() + k.kernelWidth() - k.w() - k.padWidth()};
        // The forward primitive oneDNN wants as a hint for the backward ones; it never runs.
        convolution_forward.primitive_desc hint = kept(new convolution_forward.primitive_desc(k.bias()
                ? new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct, src, anyWeights,
                        bias, dst, strides, dilation, padLeft, padRight)
                : new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct, src, anyWeights,
                        dst, strides, dilation, padLeft, padRight), OneDnnPrimitives.engine()));
        convolution_backward_data.primitive_desc data = kept(new convolution_backward_data.primitive_desc(
                new convolution_backward_data.desc(algorithm.convolution_direct, src, anyWeights, dst, strides, dilation,
                        padLeft, padRight),
                OneDnnPrimitives.userScratchpad(), OneDnnPrimitives.engine(), hint));
        convolution_backward_weights.primitive_desc weights = kept(new convolution_backward_weights.primitive_desc(k.bias()
                ? new convolution_backward_weights.desc(algorithm.convolution_direct, src, anyWeights, bias, dst, strides,
                        dilation, padLeft, padRight)
                : new convolution_backward_weights.desc(algorithm.convolution_direct, src, anyWeights, dst, strides,
                        dilation, padLeft, padRight),
                OneDnnPrimitives.userScratchpad(), OneDnnPrimitives.engine(), hint));
        memory.desc dataWeights = kept(data.weights_desc());
        memory.desc diffWeights = kept(weights.diff_weights_desc());
        return new Primitives(src, dst, bias, dataWeights, diffWeights, kept(data.scratchpad_desc()),
                kept(weights.scratchpad_desc()), kept(new convolution_backward_data(data)),
                kept(new convolution_backward_weights(weights)), OneDnnPrimitives.reorder(oihw, dataWeights),
                OneDnnPrimitives.reorder(diffWeights, oihw));
    }
}
