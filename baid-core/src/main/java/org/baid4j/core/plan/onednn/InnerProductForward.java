package org.baid4j.core.plan.onednn;

import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.baid4j.core.plan.onednn.OneDnnPrimitives.kept;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * The inference of a dense layer, {@code out = x W + b}, by oneDNN's inner product with the weights
 * kept in its layout ({@link KeptWeights}), made once per batch size. SAAN's head multiplies 6,144
 * features by 12.6 M weights: at batch 1 a pass over 50 MB of weights, which ND4J's product (through
 * OpenBLAS's sgemv) took 10 ms for and this takes at the memory's speed.
 */
public final class InnerProductForward {
    private static final Map<Shape, Primitives> PRIMITIVES = new ConcurrentHashMap<>();

    private InnerProductForward() {
    }

    /** True when the preset's natives load here. */
    public static boolean available() {
        return OneDnnPrimitives.available();
    }

    /**
     * x [N, I] (copied first where not dense), weights [I, O] in column-major order (DL4J's dense
     * layer's), bias [O] or [1, O], out [N, O] dense.
     */
    public static void forward(INDArray x, INDArray weights, KeptWeights kept, INDArray bias, INDArray out) {
        x = OneDnnPrimitives.dense(x);
        INDArray oi = weights.transpose();   // [O, I], row-major over the same floats
        Primitives p = PRIMITIVES.computeIfAbsent(new Shape(x.size(0), x.size(1), oi.size(0)), InnerProductForward::create);
        INDArray blocked = kept.of(oi, p, OneDnnPrimitives.alignedFloats(p.blockedWeights), p.weightsToBlocked);
        OneDnnPrimitives.execute(p.product, p.scratchpad, DNNL_ARG_SRC, p.src, x, DNNL_ARG_WEIGHTS, p.blockedWeights, blocked,
                DNNL_ARG_BIAS, p.bias, bias, DNNL_ARG_DST, p.dst, out);
    }

    private record Shape(long n, long in, long out) {
    }

    private record Primitives(memory.desc src, memory.desc blockedWeights, memory.desc bias, memory.desc dst,
                              memory.desc scratchpad, OneDnnPrimitives.Reorder weightsToBlocked, inner_product_forward product) {
    }

    private static Primitives create(Shape k) {
        memory.desc src = kept(OneDnnPrimitives.desc(memory.format_tag.nc, k.n(), k.in()));
        memory.desc dst = kept(OneDnnPrimitives.desc(memory.format_tag.nc, k.n(), k.out()));
        memory.desc oi = kept(OneDnnPrimitives.desc(memory.format_tag.oi, k.out(), k.in()));
        memory.desc bias = kept(OneDnnPrimitives.desc(memory.format_tag.a, k.out()));
        inner_product_forward.primitive_desc pd = kept(new inner_product_forward.primitive_desc(
                new inner_product_forward.desc(prop_kind.forward_inference, src,
                        OneDnnPrimitives.desc(memory.format_tag.any, k.out(), k.in()), bias, dst),
                OneDnnPrimitives.userScratchpad(), OneDnnPrimitives.engine()));
        memory.desc blockedWeights = kept(pd.weights_desc());
        return new Primitives(src, blockedWeights, bias, dst, kept(pd.scratchpad_desc()),
                OneDnnPrimitives.reorder(oi, blockedWeights), kept(new inner_product_forward(pd)));
    }
}
