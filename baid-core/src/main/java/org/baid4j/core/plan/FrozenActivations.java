package org.baid4j.core.plan;

import org.baid4j.core.plan.layers.ChannelsLayout;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex;
import org.deeplearning4j.nn.graph.vertex.impl.PreprocessorVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * Which activations of a training step {@link PlannedGraph} frees once they are read, and when: a
 * vertex's output goes early when neither the vertex nor any vertex that reads it has a backward
 * pass that looks at its inputs. Those are DL4J's frozen layers and vertices (its backward pass
 * skips them) and the plan's layout changes (their backward pass permutes the gradient, reading
 * nothing the forward pass took). Each such output lives until its last reader has run, in the
 * workspace pool of {@link PlannedGraph}.
 */
final class FrozenActivations {
    private final boolean[] freed;
    private final int[] lastReadAt;
    private final List<String> names = new ArrayList<>();

    FrozenActivations(GraphVertex[] vertices, int[] topologicalOrder, boolean enabled) {
        freed = new boolean[vertices.length];
        lastReadAt = new int[vertices.length];
        int[] position = new int[vertices.length];
        for (int i = 0; i < topologicalOrder.length; i++) {
            position[topologicalOrder[i]] = i;
        }
        for (GraphVertex v : vertices) {
            VertexIndices[] readers = v.getOutputVertices();
            boolean early = enabled && !v.isInputVertex() && !v.isOutputVertex() && readers != null && readers.length > 0
                    && readsNothingBackward(v);
            int last = -1;
            for (int r = 0; readers != null && r < readers.length; r++) {
                early &= readsNothingBackward(vertices[readers[r].getVertexIndex()]);
                last = Math.max(last, position[readers[r].getVertexIndex()]);
            }
            freed[v.getVertexIndex()] = early;
            lastReadAt[v.getVertexIndex()] = last;
            if (early) {
                names.add(v.getVertexName());
            }
        }
    }

    /** Whether the backward pass never reads what {@code v} took in the forward pass. */
    static boolean readsNothingBackward(GraphVertex v) {
        return (v.hasLayer() && v.getLayer() instanceof FrozenLayer)   // skipped by DL4J's backward pass
                || v instanceof FrozenVertex
                || (v instanceof PreprocessorVertex p && p.getPreProcessor() instanceof ChannelsLayout);
    }

    boolean any() {
        return !names.isEmpty();
    }

    boolean freedEarly(int vertex) {
        return freed[vertex];
    }

    /** The position in the topological order of the last vertex that reads {@code vertex}. */
    int lastReadAt(int vertex) {
        return lastReadAt[vertex];
    }

    List<String> freed() {
        return List.copyOf(names);
    }
}
