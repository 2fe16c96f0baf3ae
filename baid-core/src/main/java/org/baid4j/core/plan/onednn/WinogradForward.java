package org.baid4j.core.plan.onednn;

import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.baid4j.core.plan.onednn.OneDnnPrimitives.kept;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * The forward pass of a 3x3, stride 1, pad 1 convolution (plus bias, optionally ReLU) by oneDNN's
 * Winograd algorithm, F(4x4, 3x3): on AVX-512 two to three times faster than the direct
 * convolution libnd4j runs, for 2.25 times fewer multiplications. It works in oneDNN's blocked
 * layout: the NHWC input and the output are reordered on the way, through a scratch array per
 * thread (outside DL4J's workspaces, reused by every layer); the OIHW weights are transformed once
 * and kept by the layer ({@link KeptWeights}) until they change. ReLU is fused into the
 * convolution. The result differs from the direct convolution by rounding only (a few float ulps,
 * relative to the output's scale).
 */
public final class WinogradForward {
    private static final Map<Key, Primitives> PRIMITIVES = new ConcurrentHashMap<>();
    private static final ThreadLocal<INDArray> SCRATCH = new ThreadLocal<>();
    /**
     * At most this many images per call of the primitive, and at most {@link #CHUNK_BYTES} of input
     * or output map per call. Winograd's own scratch memory (the transformed tiles) and the blocked
     * copies grow with the images per call: in VGG at 224 px, 0.2 GB at four images, 0.07 GB with
     * one image per call in the full-size layers, which run as fast per image.
     */
    private static final long CHUNK = 4;
    private static final long CHUNK_BYTES = 8L << 20;

    private WinogradForward() {
    }

    /** How many shapes have primitives made so far (each made once). */
    public static int shapesMade() {
        return PRIMITIVES.size();
    }

    /**
     * True when this forward pass can run here: the preset's natives load, and the channels suit
     * oneDNN's Winograd kernels (multiples of 16; with fewer, it pads them and loses its gain).
     */
    public static boolean supports(long inChannels, long outChannels) {
        return OneDnnPrimitives.available() && inChannels % 16 == 0 && outChannels % 16 == 0;
    }

    /**
     * {@code out = [relu](conv3x3(x, weights) + bias)}, x [N, H, W, C] (copied first where not dense)
     * and out [N, H, W, O] dense, weights [O, C, 3, 3] and bias [O] (or [1, O]), with the layer's
     * {@code transformed} weights. Runs in chunks of images ({@link #CHUNK}).
     */
    public static void forward(INDArray x, INDArray weights, KeptWeights transformed, INDArray bias, boolean relu,
                               INDArray out) {
        run(x, weights.size(0), p -> transformed.of(weights, p, OneDnnPrimitives.alignedFloats(p.blockedWeights), p.weightsToBlocked),
                bias, relu, out);
    }

    /**
     * As {@link #forward}, for fixed weights of {@code outChannels} that {@code weights} gives only
     * when they are not kept transformed for this shape ({@link KeptWeights#ofFixed}): a BatchNorm
     * folded in.
     */
    public static void forwardFixed(INDArray x, long outChannels, Supplier<INDArray> weights, KeptWeights transformed,
                                    INDArray bias, boolean relu, INDArray out) {
        run(x, outChannels, p -> transformed.ofFixed(weights, p, OneDnnPrimitives.alignedFloats(p.blockedWeights), p.weightsToBlocked),
                bias, relu, out);
    }

    private static void run(INDArray x, long outChannels, Function<Primitives, INDArray> transformedWeights, INDArray bias,
                            boolean relu, INDArray out) {
        x = OneDnnPrimitives.dense(x);
        long n = x.size(0);
        long perImage = 4 * x.size(1) * x.size(2) * Math.max(x.size(3), outChannels);
        long chunk = Math.max(1, Math.min(CHUNK, CHUNK_BYTES / perImage));
        for (long first = 0; first < n; first += chunk) {
            long count = Math.min(chunk, n - first);
            Primitives p = PRIMITIVES.computeIfAbsent(
                    new Key(count, x.size(1), x.size(2), x.size(3), outChannels, relu), WinogradForward::create);
            INDArray[] blocked = OneDnnPrimitives.threadParts(SCRATCH, p.blockedSrc, p.blockedDst);
            INDArray blockedX = blocked[0];
            INDArray blockedOut = blocked[1];
            INDArray blockedW = transformedWeights.apply(p);
            INDArray images = count == n ? x : x.get(NDArrayIndex.interval(first, first + count));
            INDArray outputs = count == n ? out : out.get(NDArrayIndex.interval(first, first + count));
            p.srcToBlocked.run(images, blockedX);
            OneDnnPrimitives.execute(p.convolution, p.scratchpad, DNNL_ARG_SRC, p.blockedSrc, blockedX,
                    DNNL_ARG_WEIGHTS, p.blockedWeights, blockedW, DNNL_ARG_BIAS, p.bias, bias,
                    DNNL_ARG_DST, p.blockedDst, blockedOut);
            p.dstToNhwc.run(blockedOut, outputs);
        }
    }

    private record Key(long n, long h, long w, long in, long out, boolean relu) {
    }

    private record Primitives(memory.desc bias, memory.desc blockedSrc, memory.desc blockedWeights,
                              memory.desc blockedDst, memory.desc scratchpad, OneDnnPrimitives.Reorder srcToBlocked,
                              OneDnnPrimitives.Reorder weightsToBlocked, convolution_forward convolution,
                              OneDnnPrimitives.Reorder dstToNhwc) {
    }

    private static Primitives create(Key k) {
        memory.desc nhwcSrc = kept(OneDnnPrimitives.desc(memory.format_tag.nhwc, k.n(), k.in(), k.h(), k.w()));
        memory.desc nhwcDst = kept(OneDnnPrimitives.desc(memory.format_tag.nhwc, k.n(), k.out(), k.h(), k.w()));
        memory.desc oihw = kept(OneDnnPrimitives.desc(memory.format_tag.oihw, k.out(), k.in(), 3, 3));
        memory.desc bias = kept(OneDnnPrimitives.desc(memory.format_tag.a, k.out()));
        primitive_attr attr = OneDnnPrimitives.userScratchpad();
        if (k.relu()) {
            post_ops ops = kept(new post_ops());
            ops.append_eltwise(1f, algorithm.eltwise_relu, 0f, 0f);
            attr.set_post_ops(ops);
        }
        long[] one = {1, 1};
        convolution_forward.primitive_desc pd = kept(new convolution_forward.primitive_desc(
                new convolution_forward.desc(prop_kind.forward_inference, algorithm.convolution_winograd,
                        OneDnnPrimitives.desc(memory.format_tag.any, k.n(), k.in(), k.h(), k.w()),
                        OneDnnPrimitives.desc(memory.format_tag.any, k.out(), k.in(), 3, 3), bias,
                        OneDnnPrimitives.desc(memory.format_tag.any, k.n(), k.out(), k.h(), k.w()), one, one, one),
                attr, OneDnnPrimitives.engine()));
        memory.desc blockedSrc = kept(pd.src_desc());
        memory.desc blockedWeights = kept(pd.weights_desc());
        memory.desc blockedDst = kept(pd.dst_desc());
        memory.desc scratchpad = kept(pd.scratchpad_desc());
        return new Primitives(bias, blockedSrc, blockedWeights, blockedDst, scratchpad,
                OneDnnPrimitives.reorder(nhwcSrc, blockedSrc), OneDnnPrimitives.reorder(oihw, blockedWeights),
                kept(new convolution_forward(pd)), OneDnnPrimitives.reorder(blockedDst, nhwcDst));
    }
}
