package org.baid4j.core.plan;

import org.baid4j.core.plan.layers.ChannelsLayout;
import org.baid4j.core.plan.layers.ReLULayer;
import org.baid4j.core.plan.layers.ResidualAdd;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex;
import org.deeplearning4j.nn.graph.vertex.impl.PreprocessorVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * Which activations of a training step {@link PlannedGraph} frees once they are read, and when. DL4J
 * keeps every vertex's output until the backward pass is over; an output can go as soon as its last
 * reader has run when no backward pass will look at it: not the vertex's own, and not its readers'.
 * <ul>
 *   <li>Backward passes that read none of their inputs: DL4J's frozen layers and vertices (its
 *       backward pass skips them; in SAAN, GAB's and the VGG slice's maps, most of a step's
 *       activations), the plan's layout changes (they permute the gradient), the residual add (it
 *       hands the gradient on) and the plan's ReLU (it reads its own output, as PyTorch's in-place
 *       ReLU does).</li>
 *   <li>So in each trainable ResNet block the BatchNorms' and the add's outputs go once read (PyTorch
 *       does not keep them either); the convolutions' outputs stay for the BatchNorms' backward
 *       passes, and the ReLUs' for their own and the next convolution's.</li>
 * </ul>
 * Each such output lives until its last reader has run, in the workspace pool of {@link PlannedGraph}.
 */
final class ShortLivedActivations {
    private final boolean[] freed;
    private final boolean[] hasBackward;
    private final int[] lastReadAt;
    private final List<String> names = new ArrayList<>();

    ShortLivedActivations(GraphVertex[] vertices, int[] topologicalOrder, boolean enabled) {
        freed = new boolean[vertices.length];
        hasBackward = new boolean[vertices.length];
        lastReadAt = new int[vertices.length];
        int[] position = new int[vertices.length];
        for (int i = 0; i < topologicalOrder.length; i++) {
            position[topologicalOrder[i]] = i;
        }
        for (GraphVertex v : vertices) {
            VertexIndices[] readers = v.getOutputVertices();
            boolean early = enabled && !v.isInputVertex() && !v.isOutputVertex() && readers != null && readers.length > 0
                    && !readsOwnOutputBackward(v);
            int last = -1;
            for (int r = 0; readers != null && r < readers.length; r++) {
                early &= readsNoInputBackward(vertices[readers[r].getVertexIndex()]);
                last = Math.max(last, position[readers[r].getVertexIndex()]);
            }
            freed[v.getVertexIndex()] = early;
            hasBackward[v.getVertexIndex()] = !skippedBackward(v);
            lastReadAt[v.getVertexIndex()] = last;
            if (early) {
                names.add(v.getVertexName());
            }
        }
    }

    /** Whether DL4J's backward pass skips {@code v} (it keeps nothing of its forward pass for it). */
    private static boolean skippedBackward(GraphVertex v) {
        return (v.hasLayer() && v.getLayer() instanceof FrozenLayer) || v instanceof FrozenVertex
                || (v instanceof PreprocessorVertex p && p.getPreProcessor() instanceof ChannelsLayout);
    }

    /** Whether the backward pass of {@code v} never reads the inputs its forward pass took. */
    static boolean readsNoInputBackward(GraphVertex v) {
        return skippedBackward(v) || readsOwnOutputBackward(v) || v instanceof ResidualAdd.Vertex;
    }

    private static boolean readsOwnOutputBackward(GraphVertex v) {
        return v.hasLayer() && v.getLayer() instanceof ReLULayer;
    }

    boolean any() {
        return !names.isEmpty();
    }

    boolean freedEarly(int vertex) {
        return freed[vertex];
    }

    /** Whether {@code vertex} has a backward pass, which may read what its forward pass kept beside its output. */
    boolean hasBackward(int vertex) {
        return hasBackward[vertex];
    }

    /** The position in the topological order of the last vertex that reads {@code vertex}. */
    int lastReadAt(int vertex) {
        return lastReadAt[vertex];
    }

    List<String> freed() {
        return List.copyOf(names);
    }
}
