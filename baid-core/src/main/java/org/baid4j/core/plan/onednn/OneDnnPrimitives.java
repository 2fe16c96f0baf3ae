package org.baid4j.core.plan.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.scratchpad_mode;

/**
 * oneDNN itself, through the JavaCPP preset ({@code org.bytedeco:dnnl}), for the primitives that
 * libnd4j's ops do not expose: ND4J links its own oneDNN statically and exports none of it.
 * Primitives run on ND4J's arrays in place (a oneDNN memory over the array's buffer, no copy), on
 * one CPU engine and a stream per thread.
 */
final class OneDnnPrimitives {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnPrimitives.class);
    private static final engine ENGINE = cpuEngine();
    private static final ThreadLocal<stream> STREAM =
            ThreadLocal.withInitial(() -> ENGINE == null ? null : kept(new stream(ENGINE)));
    private static final ThreadLocal<INDArray> SCRATCHPAD = new ThreadLocal<>();
    private static final ThreadLocal<Map<primitive, Bound>> BOUND = ThreadLocal.withInitial(IdentityHashMap::new);

    private OneDnnPrimitives() {
    }

    /** False where the preset's native library cannot be loaded on this platform (logged once). */
    static boolean available() {
        return ENGINE != null;
    }

    static engine engine() {
        return ENGINE;
    }

    /**
     * Runs {@code p} on arguments given as (DNNL_ARG_*, descriptor, array) triples, with this
     * thread's scratchpad as its {@code scratchpad} needs (made with {@link #userScratchpad});
     * returns when it is done. The oneDNN memory objects that point at the arrays are made once per
     * primitive and thread and pointed anew on each call: each object JavaCPP makes also reads the
     * process's resident size (its memory limit), a tenth of a small network's time.
     */
    static void execute(primitive p, memory.desc scratchpad, Object... args) {
        stream s = STREAM.get();
        Bound bound = BOUND.get().get(p);
        if (bound == null || !bound.takes(args)) {
            bound = bind(args, scratchpad);
            BOUND.get().put(p, bound);
        }
        for (int i = 0; i < args.length; i += 3) {
            bound.memories[i / 3].set_data_handle(address((INDArray) args[i + 2]));
        }
        if (bound.scratchpad != null) {
            bound.scratchpad.set_data_handle(address(threadArray(SCRATCHPAD, (scratchpad.get_size() + 3) / 4)));
        }
        p.execute(s, bound.map);
        s._wait();
    }

    /** A primitive's arguments as oneDNN memory objects, in the order of the (id, descriptor, array) triples they were made for. */
    private record Bound(int[] ids, memory.desc[] descs, memory[] memories, memory scratchpad, IntMemoryMap map) {
        boolean takes(Object[] args) {
            if (args.length != ids.length * 3) {
                return false;
            }
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != (Integer) args[3 * i] || descs[i] != args[3 * i + 1]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Bound bind(Object[] args, memory.desc scratchpad) {
        int n = args.length / 3;
        int[] ids = new int[n];
        memory.desc[] descs = new memory.desc[n];
        memory[] memories = new memory[n];
        IntMemoryMap map = kept(new IntMemoryMap());
        for (int i = 0; i < n; i++) {
            ids[i] = (Integer) args[3 * i];
            descs[i] = (memory.desc) args[3 * i + 1];
            memories[i] = kept(new memory(descs[i], ENGINE, address((INDArray) args[3 * i + 2])));
            map.put(ids[i], memories[i]);
        }
        memory pad = null;
        if (scratchpad.get_size() > 0) {
            pad = kept(new memory(scratchpad, ENGINE, address(threadArray(SCRATCHPAD, (scratchpad.get_size() + 3) / 4))));
            map.put(DNNL_ARG_SCRATCHPAD, pad);
        }
        return new Bound(ids, descs, memories, pad, map);
    }

    /**
     * Attributes that make a primitive take its scratchpad from the caller. The preset's library
     * shares one scratchpad among all threads: two threads running primitives at once (DL4J's
     * ParallelWrapper) spun forever in BatchNorm's barrier, and the Winograd convolution crashed on
     * a second thread.
     */
    static primitive_attr userScratchpad() {
        primitive_attr attr = kept(new primitive_attr());
        attr.set_scratchpad_mode(scratchpad_mode.user);
        return attr;
    }

    /** This thread's float array in {@code slot}, of at least {@code floats}, outside DL4J's workspaces, grown as needed. */
    static INDArray threadArray(ThreadLocal<INDArray> slot, long floats) {
        INDArray s = slot.get();
        if (s == null || s.length() < floats) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                s = Nd4j.createUninitialized(DataType.FLOAT, floats);
            }
            slot.set(s);
        }
        return s;
    }

    /**
     * {@code p}, kept alive past any enclosing {@link PointerScope} (which would otherwise free it on
     * closing): for what is made once and reused, the engine, streams, descriptors and primitives.
     */
    static <P extends Pointer> P kept(P p) {
        p.retainReference();
        return p;
    }

    /** True when oneDNN can read {@code a} as a dense float array in its logical (row-major) order. */
    static boolean isDense(INDArray a) {
        return a.dataType() == DataType.FLOAT && (rowMajor(a) || a.isVectorOrScalar() && a.elementWiseStride() == 1);
    }

    /** Row-major strides wherever they matter: a dimension of size 1 may have any stride (ND4J gives 1x1 kernels' such ones). */
    private static boolean rowMajor(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /** {@code a} itself when oneDNN can read it in place, else a dense copy. */
    static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /** A reorder between two layouts, with the scratchpad it takes. */
    record Reorder(reorder primitive, memory.desc from, memory.desc to, memory.desc scratchpad) {
        /** Copies {@code source}, in the {@code from} layout, into {@code target} in the {@code to} layout. */
        void run(INDArray source, INDArray target) {
            execute(primitive, scratchpad, DNNL_ARG_FROM, from, source, DNNL_ARG_TO, to, target);
        }
    }

    /** The reorder from {@code from}'s layout to {@code to}'s, kept. */
    static Reorder reorder(memory.desc from, memory.desc to) {
        reorder.primitive_desc pd = kept(new reorder.primitive_desc(ENGINE, from, ENGINE, to, userScratchpad(), false));
        return new Reorder(kept(new reorder(pd)), from, to, kept(pd.scratchpad_desc()));
    }

    /** A float memory descriptor of {@code dims} in {@code layout}. */
    static memory.desc desc(memory.format_tag layout, long... dims) {
        return new memory.desc(dims.clone(), memory.data_type.f32, layout);
    }

    /**
     * One array per descriptor in {@code parts}, each large enough for it, as consecutive 64-byte
     * aligned slices of this thread's array in {@code slot} ({@link #threadArray}).
     */
    static INDArray[] threadParts(ThreadLocal<INDArray> slot, memory.desc... parts) {
        long[] ends = new long[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            ends[i + 1] = ends[i] + alignedFloats(parts[i]);
        }
        INDArray whole = threadArray(slot, ends[parts.length]);
        INDArray[] out = new INDArray[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = whole.get(NDArrayIndex.interval(ends[i], ends[i + 1]));
        }
        return out;
    }

    /** Floats that hold {@code d}, rounded up to 16 (so that parts of one array start 64-byte aligned); never 0. */
    static long alignedFloats(memory.desc d) {
        return Math.max(1, (d.get_size() + 63) / 64) * 16;
    }

    /** A view of dense {@code a}'s floats, read in place. */
    static FloatBuffer floats(INDArray a) {
        return new FloatPointer(address(a)).capacity(a.length()).asBuffer();
    }

    private static Pointer address(INDArray a) {
        if (!isDense(a)) {
            throw new IllegalArgumentException("oneDNN needs a dense float array, got " + a.shapeInfoToString());
        }
        long at = a.data().address() + a.offset() * a.dataType().width();
        return new Pointer() {
            {
                address = at;
            }
        };
    }

    private static engine cpuEngine() {
        try {
            return kept(new engine(engine.kind.cpu, 0));
        } catch (Throwable e) {   // UnsatisfiedLinkError and friends: no natives for this platform
            LOG.warn("oneDNN's JavaCPP preset could not start ({}); BatchNorm keeps DL4J's oneDNN helper", e.toString());
            return null;
        }
    }
}
