package org.baid4j.core.plan.onednn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One layer's weights in the layouts its oneDNN primitives want (blocked, or Winograd's transformed
 * tiles), kept between calls. By default they are made again whenever the weights differ, bit for
 * bit, from those they were made from: the comparison reads the weights and a copy of them, which
 * pays for Winograd's transform (several times dearer) but not for a plain reorder. Once the
 * network's parameters are {@linkplain #fix fixed} (a model loaded for scoring), nothing is
 * compared or copied: the kept layouts are made once and dropped by {@link #clear} only.
 */
public final class KeptWeights {
    private static final AtomicLong LAYOUTS_MADE = new AtomicLong();
    private final Map<Object, INDArray> made = new IdentityHashMap<>();
    private FloatBuffer source;
    private boolean fixed;

    /** Whether the weights are taken to be constant: set for a network whose parameters will not change. */
    public synchronized void fix(boolean fixed) {
        if (this.fixed != fixed) {
            clear();
        }
        this.fixed = fixed;
    }

    public synchronized boolean fixed() {
        return fixed;
    }

    /** Drops what was made: the next call makes it again from the weights as they are then. */
    public synchronized void clear() {
        made.clear();
        source = null;
    }

    /**
     * The weights were written: fixed weights are made again on the next call; weights compared on
     * every call need nothing. (DL4J's optimiser "sets" the parameters it updated in place after
     * every step: clearing then made VGG's Winograd tiles again on every training step.)
     */
    public synchronized void weightsChanged() {
        if (fixed) {
            clear();
        }
    }

    /** How many weight layouts have been made so far, by every layer (for tests). */
    public static long layoutsMade() {
        return LAYOUTS_MADE.get();
    }

    /**
     * For fixed weights: those {@code source} gives, in {@code primitive}'s layout, made by
     * {@code reorder} (into {@code floats}) if not kept; {@code source} is asked only then, so that
     * weights derived from the parameters (a folded BatchNorm) need not be kept as well. The array
     * it gives is closed once reordered.
     */
    synchronized INDArray ofFixed(Supplier<INDArray> source, Object primitive, long floats, OneDnnPrimitives.Reorder reorder) {
        if (!fixed) {
            throw new IllegalStateException("weights that may change are compared, not supplied");
        }
        INDArray kept = made.get(primitive);
        if (kept != null) {
            return kept;
        }
        INDArray weights = source.get();
        try {
            return of(weights, primitive, floats, reorder);
        } finally {
            weights.close();   // derived for this reorder alone: freed now rather than at the next collection
        }
    }

    /** The weights in {@code primitive}'s layout, made by {@code reorder} (into {@code floats}) if not kept. */
    synchronized INDArray of(INDArray weights, Object primitive, long floats, OneDnnPrimitives.Reorder reorder) {
        if (!fixed) {
            FloatBuffer current = OneDnnPrimitives.floats(weights);
            if (source == null || source.capacity() != current.capacity() || source.mismatch(current) >= 0) {
                made.clear();
                source = ByteBuffer.allocateDirect(current.capacity() * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer().put(current);
                source.flip();
            }
        }
        return made.computeIfAbsent(primitive, p -> {
            INDArray w;
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                w = Nd4j.createUninitialized(DataType.FLOAT, floats);
            }
            reorder.run(weights, w);
            LAYOUTS_MADE.incrementAndGet();
            return w;
        });
    }
}
