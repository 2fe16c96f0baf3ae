package org.baid4j.core.plan;

import org.baid4j.core.layers.FrozenBatchNormalizationLayer;
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
 * The frozen branches that compute each image on their own may also run in parts of the batch
 * ({@link #inFrozenBranch}).
 */
final class ShortLivedActivations {
    private final boolean[] freed;
    private final boolean[] hasBackward;
    private final int[] lastReadAt;
    private final boolean[] frozenBranch;
    private final boolean[] branchOutput;
    private final int[] lastBranchReadAt;
    private final int[] lastOutsideReadAt;
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
        frozenBranch = new boolean[vertices.length];
        branchOutput = new boolean[vertices.length];
        lastBranchReadAt = new int[vertices.length];
        for (int i = 0; i < topologicalOrder.length; i++) {
            GraphVertex v = vertices[topologicalOrder[i]];
            boolean branch = enabled && !v.isInputVertex() && !v.isOutputVertex() && skippedBackward(v)   // never excluded by DL4J
                    && !(v.hasLayer() && v.getLayer() instanceof FrozenBatchNormalizationLayer);   // batch statistics
            VertexIndices[] inputs = v.getInputVertices();
            for (int k = 0; branch && inputs != null && k < inputs.length; k++) {
                GraphVertex in = vertices[inputs[k].getVertexIndex()];
                branch = in.isInputVertex() || frozenBranch[in.getVertexIndex()];
            }
            frozenBranch[v.getVertexIndex()] = branch;
        }
        lastOutsideReadAt = new int[vertices.length];
        for (GraphVertex v : vertices) {
            int last = position[v.getVertexIndex()];
            VertexIndices[] readers = v.getOutputVertices();
            for (int r = 0; frozenBranch[v.getVertexIndex()] && readers != null && r < readers.length; r++) {
                int reader = readers[r].getVertexIndex();
                if (frozenBranch[reader]) {
                    last = Math.max(last, position[reader]);
                } else {
                    branchOutput[v.getVertexIndex()] = true;
                    lastOutsideReadAt[v.getVertexIndex()] = Math.max(lastOutsideReadAt[v.getVertexIndex()], position[reader]);
                }
            }
            lastBranchReadAt[v.getVertexIndex()] = last;
        }
    }

    /**
     * Whether {@code vertex} belongs to a frozen branch: it and every vertex on its way from the
     * network's inputs are skipped by the backward pass and compute each image on its own (not a
     * frozen BatchNorm, which normalises with the batch's statistics in training, as the reference
     * does). A training step may run such a branch in parts of the batch: only its outputs, read
     * beyond it, need the whole batch at once. In SAAN: the VGG slice and the image's layout change.
     */
    boolean inFrozenBranch(int vertex) {
        return frozenBranch[vertex];
    }

    /** Whether {@code vertex} is a frozen branch's output: read by a vertex outside the branches. */
    boolean isBranchOutput(int vertex) {
        return branchOutput[vertex];
    }

    /** For a frozen branch's output: the position of the last vertex outside the branches that reads it. */
    int lastOutsideReadAt(int vertex) {
        return lastOutsideReadAt[vertex];
    }

    /** The position of the last vertex of the frozen branches that reads {@code vertex} (its own where none does). */
    int lastBranchReadAt(int vertex) {
        return lastBranchReadAt[vertex];
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
