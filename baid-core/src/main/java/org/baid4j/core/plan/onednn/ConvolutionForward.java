package org.baid4j.core.plan.onednn;

import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static org.baid4j.core.plan.onednn.OneDnnPrimitives.kept;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * The inference forward pass of a convolution (plus bias, optionally ReLU) by oneDNN's direct
 * algorithm, on NHWC or NCHW activations in place, with the layer's weights kept in the layout the
 * primitive wants ({@link KeptWeights}) and the primitive made once per shape. libnd4j's
 * {@code conv2d} makes its primitive and reorders the OIHW weights on every call: at batch 1, a
 * fixed cost per layer that was a fifth of a score's time.
 */
public final class ConvolutionForward {
    private static final Map<Shape, Primitives> PRIMITIVES = new ConcurrentHashMap<>();

    private ConvolutionForward() {
    }

    /** True when the preset's natives load here. */
    public static boolean available() {
        return OneDnnPrimitives.available();
    }

    /**
     * A convolution's settings: kernel, stride and (top/left) padding, no dilation; DL4J's "Truncate"
     * output size. After the bias, {@code sum} adds what the output array held (a residual
     * connection's other branch), then {@code relu} applies.
     */
    public record Settings(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth,
                           boolean channelsLast, boolean sum, boolean relu) {
        public Settings withFusion(boolean sum, boolean relu) {
            return new Settings(kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, channelsLast, sum, relu);
        }
    }

    /**
     * {@code out = [relu](conv(x, weights) + bias)}: x [N, H, W, C] (channels last) or [N, C, H, W],
     * copied first where not dense; out dense in the same layout, of the output size; weights
     * [O, C, kH, kW] and bias [O] (or [1, O]), dense. With {@link Settings#sum}, out holds the
     * addend on the way in.
     */
    public static void forward(INDArray x, INDArray weights, KeptWeights kept, INDArray bias, Settings s, INDArray out) {
        x = OneDnnPrimitives.dense(x);
        Primitives p = primitives(x, weights.size(0), s);
        run(p, x, kept.of(weights, p, OneDnnPrimitives.alignedFloats(p.blockedWeights), p.weightsToBlocked), bias, out);
    }

    /**
     * As {@link #forward}, for fixed weights of {@code outChannels} that {@code weights} gives only
     * when they are not kept in the layout this input's shape takes ({@link KeptWeights#ofFixed}).
     */
    public static void forwardFixed(INDArray x, long outChannels, Supplier<INDArray> weights, KeptWeights kept, INDArray bias,
                                    Settings s, INDArray out) {
        x = OneDnnPrimitives.dense(x);
        Primitives p = primitives(x, outChannels, s);
        run(p, x, kept.ofFixed(weights, p, OneDnnPrimitives.alignedFloats(p.blockedWeights), p.weightsToBlocked), bias, out);
    }

    private static Primitives primitives(INDArray x, long outChannels, Settings s) {
        return PRIMITIVES.computeIfAbsent(s.channelsLast()
                ? new Shape(x.size(0), x.size(3), x.size(1), x.size(2), outChannels, s)
                : new Shape(x.size(0), x.size(1), x.size(2), x.size(3), outChannels, s), ConvolutionForward::create);
    }

    private static void run(Primitives p, INDArray x, INDArray blockedW, INDArray bias, INDArray out) {
        OneDnnPrimitives.execute(p.convolution, p.scratchpad, DNNL_ARG_SRC, p.src, x,
                DNNL_ARG_WEIGHTS, p.blockedWeights, blockedW, DNNL_ARG_BIAS, p.bias, bias, DNNL_ARG_DST, p.dst, out);
    }

    /** The output's height or width for DL4J's "Truncate" mode. */
    public static long outputSize(long in, int kernel, int stride, int pad) {
        return (in + 2L * pad - kernel) / stride + 1;
    }

    private record Shape(long n, long in, long h, long w, long out, Settings s) {
    }

    private record Primitives(memory.desc src, memory.desc blockedWeights, memory.desc bias, memory.desc dst,
                              memory.desc scratchpad, OneDnnPrimitives.Reorder weightsToBlocked,
                              convolution_forward convolution) {
    }

    private static Primitives create(Shape k) {
        Settings s = k.s();
        long oh = outputSize(k.h(), s.kernelHeight(), s.strideHeight(), s.padHeight());
        long ow = outputSize(k.w(), s.kernelWidth(), s.strideWidth(), s.padWidth());
        memory.format_tag layout = s.channelsLast() ? memory.format_tag.nhwc : memory.format_tag.nchw;
        memory.desc src = kept(OneDnnPrimitives.desc(layout, k.n(), k.in(), k.h(), k.w()));
        memory.desc dst = kept(OneDnnPrimitives.desc(layout, k.n(), k.out(), oh, ow));
        memory.desc oihw = kept(OneDnnPrimitives.desc(memory.format_tag.oihw, k.out(), k.in(), s.kernelHeight(), s.kernelWidth()));
        memory.desc bias = kept(OneDnnPrimitives.desc(memory.format_tag.a, k.out()));
        primitive_attr attr = OneDnnPrimitives.userScratchpad();
        if (s.sum() || s.relu()) {
            post_ops ops = kept(new post_ops());
            if (s.sum()) {
                ops.append_sum();
            }
            if (s.relu()) {
                ops.append_eltwise(1f, algorithm.eltwise_relu, 0f, 0f);
            }
            attr.set_post_ops(ops);
        }
        // The right and bottom padding that gives Truncate's output size (negative where the last
        // input rows are left out, as libnd4j passes it too).
        long[] padLeft = {s.padHeight(), s.padWidth()};
        long[] padRight = {(oh - 1) * s.strideHeight() + s.kernelHeight() - k.h() - s.padHeight(),
                (ow - 1) * s.strideWidth() + s.kernelWidth() - k.w() - s.padWidth()};
        convolution_forward.primitive_desc pd = kept(new convolution_forward.primitive_desc(
                new convolution_forward.desc(prop_kind.forward_inference, algorithm.convolution_direct, src,
                        OneDnnPrimitives.desc(memory.format_tag.any, k.out(), k.in(), s.kernelHeight(), s.kernelWidth()),
                        bias, dst, new long[]{s.strideHeight(), s.strideWidth()}, new long[]{0, 0}, padLeft, padRight),
                attr, OneDnnPrimitives.engine()));
        memory.desc blockedWeights = kept(pd.weights_desc());
        return new Primitives(src, blockedWeights, bias, dst, kept(pd.scratchpad_desc()),
                OneDnnPrimitives.reorder(oihw, blockedWeights), kept(new convolution_forward(pd)));
    }
}
