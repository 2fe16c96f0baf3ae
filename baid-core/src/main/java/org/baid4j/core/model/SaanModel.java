package org.baid4j.core.model;

import org.baid4j.core.backend.OneDnn;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;

/**
 * A SAAN network with what a caller needs to use it: its variant and input size (read from the
 * graph itself, so a model file needs no side file), scoring on the 0-10 scale, and DL4J's own
 * model file format.
 */
public final class SaanModel {
    private static final Logger LOG = LoggerFactory.getLogger(SaanModel.class);

    private final ComputationGraph graph;
    private final SaanVariant variant;
    private final int inputSize;
    private ComputationGraph inference;

    public SaanModel(ComputationGraph graph) {
        this.graph = graph;
        this.variant = variantOf(graph);
        this.inputSize = inputSizeOf(graph);
    }

    public static SaanModel create(SaanConfig config) {
        return new SaanModel(SaanGraph.build(config));
    }

    /** Loads a model saved by {@link #save(File)} (DL4J's zip format); updater state kept if present. */
    public static SaanModel load(File file) throws IOException {
        OneDnn.enable();
        ComputationGraph graph;
        try {
            graph = ModelSerializer.restoreComputationGraph(file, true);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a DL4J model file (" + e.getMessage() + ")", e);
        }
        if (graph.getConfiguration().getVertices().get(SaanGraph.OUTPUT) == null) {
            throw new IOException(file + ": a DL4J model, but not a SAAN network (no '" + SaanGraph.OUTPUT + "' layer)");
        }
        return new SaanModel(graph);
    }

    /** Saves the network with its optimiser state (to continue training). */
    public void save(File file) throws IOException {
        save(file, true);
    }

    /** Saves the network; without the optimiser state the file is a third of the size. */
    public void save(File file, boolean withUpdater) throws IOException {
        ModelSerializer.writeModel(graph, file, withUpdater);
    }

    /** Scores on the 0-10 scale for a batch of preprocessed images [B, 3, S, S]. */
    public double[] scores(INDArray images) {
        long[] shape = images.shape();
        if (shape.length != 4 || shape[1] != 3 || shape[2] != inputSize || shape[3] != inputSize) {
            throw new IllegalArgumentException("expected images [B, 3, " + inputSize + ", " + inputSize + "], got "
                    + java.util.Arrays.toString(shape));
        }
        INDArray out = inferenceGraph().outputSingle(false, images);
        double[] scores = out.reshape(out.length()).toDoubleVector();
        for (int i = 0; i < scores.length; i++) {
            scores[i] *= 10;
        }
        return scores;
    }

    /**
     * The network {@link #scores} runs: the inference layout of this network
     * ({@link SaanGraph#inferenceConfiguration}, 1.5x faster) given this network's current
     * parameters on every call (a copy of 120 MB, a few percent of a batch's time; it keeps
     * scores right while training or after weights are set). A graph that is not a standard SAAN
     * scores with itself.
     */
    synchronized ComputationGraph inferenceGraph() {
        if (inference == null) {
            inference = inferenceLayoutOf(graph);
        }
        if (inference != graph) {
            for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
                if (layer.numParams() > 0) {
                    inference.getLayer(layer.conf().getLayer().getLayerName()).setParams(layer.params());
                }
            }
        }
        return inference;
    }

    private static ComputationGraph inferenceLayoutOf(ComputationGraph graph) {
        // Creating a graph reseeds ND4J's global generator, which drives dropout: put it back, so
        // that scoring in the middle of training (validation) leaves training's random stream alone.
        org.nd4j.linalg.api.rng.Random random = org.nd4j.linalg.factory.Nd4j.getRandom();
        long root = random.rootState();
        long node = random.nodeState();
        try {
            SaanConfig config = SaanConfig.of(variantOf(graph)).withInputSize(inputSizeOf(graph))
                    .withHeadActivation(headActivationOf(graph));
            ComputationGraph twin = new ComputationGraph(SaanGraph.inferenceConfiguration(config));
            twin.init();
            for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
                org.deeplearning4j.nn.api.Layer same = twin.getLayer(layer.conf().getLayer().getLayerName());
                if (same == null || same.numParams() != layer.numParams()) {
                    throw new IllegalArgumentException("no layer like " + layer.conf().getLayer().getLayerName());
                }
            }
            return twin;
        } catch (RuntimeException e) {
            LOG.warn("scoring with the training layout: {}", e.getMessage());
            return graph;
        } finally {
            random.setStates(root, node);
        }
    }

    public ComputationGraph graph() {
        return graph;
    }

    public SaanVariant variant() {
        return variant;
    }

    public int inputSize() {
        return inputSize;
    }

    public ParameterCounts parameterCounts() {
        return ParameterCounts.of(graph);
    }

    static HeadActivation headActivationOf(ComputationGraph graph) {
        var layer = ((LayerVertex) graph.getConfiguration().getVertices().get(SaanGraph.HEAD + "/fc1")).getLayerConf().getLayer();
        var fn = ((org.deeplearning4j.nn.conf.layers.BaseLayer) layer).getActivationFn();
        for (HeadActivation a : HeadActivation.values()) {
            if (a.dl4j().getActivationFunction().getClass() == fn.getClass()) {
                return a;
            }
        }
        throw new IllegalArgumentException("head activation " + fn + " is not one of " + java.util.Arrays.toString(HeadActivation.values()));
    }

    static SaanVariant variantOf(ComputationGraph graph) {
        var vertices = graph.getConfiguration().getVertices();
        return SaanVariant.withBranches(vertices.containsKey(SaanGraph.GAB + "/conv1"),
                vertices.containsKey("sab/adain"), "this graph");
    }

    /** The head pools the S/16 map to 2x2 with an S/32 window: the one place the input size is stored. */
    static int inputSizeOf(ComputationGraph graph) {
        var vertex = graph.getConfiguration().getVertices().get(SaanGraph.HEAD + "/pool");
        if (!(vertex instanceof LayerVertex)
                || !(((LayerVertex) vertex).getLayerConf().getLayer() instanceof SubsamplingLayer)) {
            throw new IllegalArgumentException("not a SAAN graph: no head pooling layer");
        }
        SubsamplingLayer pool = (SubsamplingLayer) ((LayerVertex) vertex).getLayerConf().getLayer();
        return pool.getKernelSize()[0] * 32;
    }
}
