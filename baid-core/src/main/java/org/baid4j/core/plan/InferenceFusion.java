package org.baid4j.core.plan;

import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.baid4j.core.plan.layers.ChannelsLastConvolutionLayer;
import org.baid4j.core.plan.layers.FoldedBatchNorm;
import org.baid4j.core.plan.layers.ReLULayer;
import org.baid4j.core.plan.layers.ResidualAdd;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;

import org.nd4j.linalg.activations.impl.ActivationIdentity;

import java.util.Arrays;

/**
 * What a scoring pass of a network with fixed parameters ({@link PlannedGraph#fixParameters})
 * runs as one oneDNN primitive: a convolution, the BatchNorm that alone reads it (folded into its
 * weights and bias), then, where they alone read what comes before, a residual add whose other
 * branch is ready by then (oneDNN's sum post-op) and a ReLU (its eltwise post-op). A ResNet
 * bottleneck is then three primitives instead of ten vertices, each a pass over the maps. The
 * vertices folded in are not run: their outputs are the convolution's ({@link #root}).
 */
final class InferenceFusion {
    /** By vertex index: the fused convolution whose output stands for it, or -1. */
    private final int[] root;
    /** By convolution vertex index: the vertex whose output its sum adds, or -1. */
    private final int[] addend;
    /** By vertex index: the position in the topological order after which its output is no longer read. */
    private final int[] lastRead;
    private final int fused;

    InferenceFusion(ComputationGraph graph, GraphVertex[] vertices, int[] order) {
        int n = vertices.length;
        root = new int[n];
        addend = new int[n];
        Arrays.fill(root, -1);
        Arrays.fill(addend, -1);
        int[] position = new int[n];
        for (int i = 0; i < order.length; i++) {
            position[order[i]] = i;
        }
        int count = 0;
        for (int c : order) {
            ChannelsLastConvolutionLayer conv = convolution(vertices[c]);
            int bnIndex = soleReader(vertices[c]);
            if (conv == null || !conv.canRunOwnPrimitive() || !(conv.layerConf().getActivationFn() instanceof ActivationIdentity)
                    || bnIndex < 0
                    || !(unwrap(vertices[bnIndex].getLayer()) instanceof BatchNormalization bn) || !foldable(bn, conv)) {
                continue;
            }
            int last = bnIndex;
            int sum = -1;
            int next = soleReader(vertices[last]);
            if (next >= 0 && isAdd(graph, vertices[next]) && vertices[next].getNumInputArrays() == 2) {
                VertexIndices[] in = vertices[next].getInputVertices();
                int other = in[0].getVertexIndex() == last ? in[1].getVertexIndex() : in[0].getVertexIndex();
                if (position[other] < position[c] && other != last) {
                    sum = other;
                    last = next;
                    next = soleReader(vertices[last]);
                }
            }
            boolean relu = next >= 0 && unwrap(vertices[next].getLayer()) instanceof ReLULayer;
            if (relu) {
                last = next;
            }
            conv.foldBatchNorm(new FoldedBatchNorm(bn, sum >= 0, relu));
            addend[c] = sum;
            for (int v = bnIndex; ; v = soleReader(vertices[v])) {
                root[v] = c;
                if (v == last) {
                    break;
                }
            }
            count++;
        }
        fused = count;
        lastRead = new int[n];
        for (int v = 0; v < n; v++) {
            lastRead[v] = position[v];
        }
        for (int v = 0; v < n; v++) {
            int stored = root[v] >= 0 ? root[v] : v;
            VertexIndices[] readers = vertices[v].getOutputVertices();
            for (int r = 0; readers != null && r < readers.length; r++) {
                lastRead[stored] = Math.max(lastRead[stored], position[readers[r].getVertexIndex()]);
            }
            if (vertices[v].isOutputVertex()) {
                lastRead[stored] = order.length - 1;
            }
        }
    }

    /** The fused convolution whose output stands for vertex {@code v}, or -1 where {@code v} runs itself. */
    int root(int v) {
        return root[v];
    }

    /** The vertex whose output convolution {@code v}'s sum post-op adds, or -1. */
    int addend(int v) {
        return addend[v];
    }

    /** The position in the topological order after which vertex {@code v}'s output array is no longer read. */
    int lastRead(int v) {
        return lastRead[v];
    }

    /** How many convolutions took their BatchNorm in. */
    int fusedConvolutions() {
        return fused;
    }

    static ChannelsLastConvolutionLayer convolution(GraphVertex v) {
        return v.hasLayer() && unwrap(v.getLayer()) instanceof ChannelsLastConvolutionLayer c ? c : null;
    }

    static Layer unwrap(Layer layer) {
        return layer instanceof FrozenLayer f ? f.getInsideLayer()
                : layer instanceof FrozenLayerWithBackprop f ? f.getInsideLayer() : layer;
    }

    /** The one vertex that reads {@code v}'s output, or -1 (none, several, or {@code v} is an output). */
    private static int soleReader(GraphVertex v) {
        VertexIndices[] readers = v.getOutputVertices();
        return v.isOutputVertex() || readers == null || readers.length != 1 ? -1 : readers[0].getVertexIndex();
    }

    /** PyTorch's BatchNorm (variance stored as such, gamma and beta learned) in the convolution's layout. */
    private static boolean foldable(BatchNormalization bn, ChannelsLastConvolutionLayer conv) {
        org.deeplearning4j.nn.conf.layers.BatchNormalization c = bn.layerConf();
        return c instanceof ReferenceBatchNormalization && !c.isUseLogStd() && !c.isLockGammaBeta()
                && c.getCnn2DFormat() == conv.layerConf().getCnn2dDataFormat();
    }

    private static boolean isAdd(ComputationGraph graph, GraphVertex v) {
        org.deeplearning4j.nn.conf.graph.GraphVertex conf = graph.getConfiguration().getVertices().get(v.getVertexName());
        if (conf instanceof FrozenVertex frozen) {
            conf = frozen.getUnderlying();
        }
        return conf instanceof ResidualAdd;
    }
}
