package org.baid4j.core.model;

import org.baid4j.core.optim.OptimiserConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SAAN (Yi et al., CVPR 2023; upstream: the authors' PyTorch code) as an {@link AestheticsModel}:
 * the network, the {@link SaanConfig} it was built from, scoring on the 0-10 scale, and model
 * files that carry their card.
 */
public final class SaanModel implements AestheticsModel {
    public static final ModelType<SaanConfig> TYPE = new ModelType<>("saan",
            "Yi et al., Towards Artistic Image Aesthetics Assessment: a Large-scale Dataset and a New Method, CVPR 2023",
            "https://github.com/Dreemurr-T/BAID", SaanConfig.class, SaanConfig.reference(), SaanModel::create, SaanModel::new);

    private final ComputationGraph graph;
    private final SaanConfig config;
    private ComputationGraph inference;

    public SaanModel(ComputationGraph graph, SaanConfig config) {
        this.graph = graph;
        this.config = config;
    }

    /** A new network with the reference's optimiser configured (for scoring, or training as the reference does). */
    public static SaanModel create(SaanConfig config) {
        return new SaanModel(SaanGraph.build(config), config);
    }

    /** A new network to train with {@code optimiser} for {@code epochs} epochs. */
    public static SaanModel create(SaanConfig config, OptimiserConfig optimiser, int epochs) {
        return new SaanModel(SaanGraph.build(config, optimiser, epochs), config);
    }

    /** Loads a SAAN model file ({@link #save}); updater state kept if present. Files without a card are described from their graph. */
    public static SaanModel load(File file) throws IOException {
        return ModelFiles.loadNetwork(file, SaanModel.class, "a SAAN network");
    }


    /** A file written before model cards: the configuration is read off the graph (vertex names, head pooling, activation). */
    static SaanModel describedByGraph(ComputationGraph graph, File file) throws IOException {
        if (graph.getConfiguration().getVertices().get(SaanGraph.OUTPUT) == null) {
            throw new IOException(file + ": a DL4J model, but not a SAAN network (no '" + SaanGraph.OUTPUT + "' layer)");
        }
        try {
            var vertices = graph.getConfiguration().getVertices();
            SaanVariant variant = SaanVariant.withBranches(vertices.containsKey(SaanGraph.GAB + "/conv1"),
                    vertices.containsKey("sab/adain"), file.toString());
            return new SaanModel(graph, new SaanConfig(variant, inputSizeOf(graph), dropoutOf(graph),
                    headActivationOf(graph), graph.getConfiguration().getDefaultConfiguration().getSeed()));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelCard card() {
        return new ModelCard(TYPE.name(), TYPE.json(config), Preprocessing.imageNet(config.inputSize()));
    }

    /** Saves the network with its optimiser state (to continue training). */
    public void save(File file) throws IOException {
        save(file, true);
    }

    /** Saves the network and its card; without the optimiser state the file is a third of the size. */
    @Override
    public void save(File file, boolean withUpdater) throws IOException {
        ModelFiles.write(graph, card(), file, withUpdater);
    }

    @Override
    public double[] scores(INDArray images) {
        long[] shape = images.shape();
        int size = config.inputSize();
        if (shape.length != 4 || shape[1] != 3 || shape[2] != size || shape[3] != size) {
            throw new IllegalArgumentException("expected images [B, 3, " + size + ", " + size + "], got "
                    + Arrays.toString(shape));
        }
        INDArray out = inferenceGraph().outputSingle(false, images);
        double[] scores = out.reshape(out.length()).toDoubleVector();
        for (int i = 0; i < scores.length; i++) {
            scores[i] *= 10;
        }
        return scores;
    }

    /**
     * The network {@link #scores} runs: this network itself when it is in the inference layout
     * ({@link SaanGraph#inferenceConfiguration}, as every network {@link SaanGraph} builds now), else that
     * layout on this network's own parameter array, shared, not copied, so that scores follow
     * training and weights set in place. Its vertices are then ordered so that its layers'
     * parameters lie in this network's order (DL4J lays a graph's parameters out in its
     * topological order, and the layout vertices change that order).
     */
    synchronized ComputationGraph inferenceGraph() {
        if (inference == null) {
            // Declaring a graph reseeds ND4J's global generator, which drives dropout: put it back, so
            // that scoring in the middle of training (validation) leaves training's random stream alone.
            Random random = Nd4j.getRandom();
            long root = random.rootState();
            long node = random.nodeState();
            try {
                ComputationGraphConfiguration conf = SaanGraph.inferenceConfiguration(config);
                inference = inInferenceLayout(graph.getConfiguration(), conf) ? graph : inferenceTwin(conf);
            } finally {
                random.setStates(root, node);
            }
        }
        return inference;
    }

    /**
     * The same vertices on the same inputs. The layouts differ in their layout vertices (a branch in
     * NHWC ends in one to NCHW), so that equal vertex sets are equal layouts.
     */
    private static boolean inInferenceLayout(ComputationGraphConfiguration conf, ComputationGraphConfiguration inference) {
        return conf.getVertices().keySet().equals(inference.getVertices().keySet())
                && conf.getVertexInputs().equals(inference.getVertexInputs());
    }

    private ComputationGraph inferenceTwin(ComputationGraphConfiguration conf) {
        List<String> order = inParameterOrder(conf, graph);
        conf.setTopologicalOrderStr(order);
        conf.setTopologicalOrder(java.util.stream.IntStream.range(0, order.size()).toArray());
        if (!layersWithParameters(conf, order).equals(layersWithParameters(graph))) {
            throw new IllegalStateException("this network's layers have no like in SAAN's inference layout for "
                    + config + ": not a standard SAAN graph");
        }
        ComputationGraph twin = new ComputationGraph(conf);
        twin.init(graph.params(), false);
        return twin;
    }

    /**
     * A topological order of {@code conf} that takes each vertex without parameters as soon as its
     * inputs are there and the layers with parameters in their order in {@code like}.
     */
    private static List<String> inParameterOrder(ComputationGraphConfiguration conf, ComputationGraph like) {
        Map<String, Integer> rank = new LinkedHashMap<>();
        for (String name : layersWithParameters(like)) {
            rank.put(name.substring(0, name.lastIndexOf(':')), rank.size());
        }
        Map<String, List<String>> inputs = conf.getVertexInputs();
        List<String> order = new java.util.ArrayList<>(conf.getNetworkInputs());
        java.util.Set<String> done = new java.util.HashSet<>(order);
        java.util.Set<String> left = new java.util.TreeSet<>(conf.getVertices().keySet());
        while (!left.isEmpty()) {
            String next = null;
            for (String v : left) {
                if (!done.containsAll(inputs.getOrDefault(v, List.of()))) {
                    continue;
                }
                if (!rank.containsKey(v)) {
                    next = v;
                    break;
                }
                if (next == null || rank.get(v) < rank.get(next)) {
                    next = v;
                }
            }
            if (next == null) {
                throw new IllegalStateException("the inference layout's graph has a cycle");
            }
            order.add(next);
            done.add(next);
            left.remove(next);
        }
        return order;
    }

    /** name:count for the layers with parameters of {@code conf}, in {@code order}. */
    private static List<String> layersWithParameters(ComputationGraphConfiguration conf, List<String> order) {
        List<String> out = new java.util.ArrayList<>();
        for (String name : order) {
            if (conf.getVertices().get(name) instanceof LayerVertex v) {
                long n = v.getLayerConf().getLayer().initializer().numParams(v.getLayerConf());
                if (n > 0) {
                    out.add(name + ":" + n);
                }
            }
        }
        return out;
    }

    /** name:count for the graph's layers with parameters, in the order its parameter array holds them. */
    private static List<String> layersWithParameters(ComputationGraph g) {
        List<String> out = new java.util.ArrayList<>();
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = g.getVertices();
        for (int i : g.topologicalSortOrder()) {
            if (vertices[i].hasLayer() && vertices[i].getLayer().numParams() > 0) {
                out.add(vertices[i].getVertexName() + ":" + vertices[i].getLayer().numParams());
            }
        }
        return out;
    }

    @Override
    public ComputationGraph graph() {
        return graph;
    }

    public SaanConfig config() {
        return config;
    }

    public SaanVariant variant() {
        return config.variant();
    }

    public int inputSize() {
        return config.inputSize();
    }

    private static HeadActivation headActivationOf(ComputationGraph graph) {
        var layer = ((LayerVertex) graph.getConfiguration().getVertices().get(SaanGraph.HEAD + "/fc1")).getLayerConf().getLayer();
        var fn = ((BaseLayer) layer).getActivationFn();
        for (HeadActivation a : HeadActivation.values()) {
            if (a.function().getClass() == fn.getClass()) {
                return a;
            }
        }
        throw new IllegalArgumentException("head activation " + fn + " is not one of " + Arrays.toString(HeadActivation.values()));
    }

    private static double dropoutOf(ComputationGraph graph) {
        var layer = ((LayerVertex) graph.getConfiguration().getVertices().get(SaanGraph.OUTPUT)).getLayerConf().getLayer();
        // DL4J's Dropout holds the probability of keeping a unit.
        return layer.getIDropout() instanceof Dropout d ? 1 - d.getP() : 0;
    }

    /** The head pools the S/16 map to 2x2 with an S/32 window: the one place the input size is stored. */
    private static int inputSizeOf(ComputationGraph graph) {
        var vertex = graph.getConfiguration().getVertices().get(SaanGraph.HEAD + "/pool");
        if (!(vertex instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof SubsamplingLayer pool)) {
            throw new IllegalArgumentException("not a SAAN graph: no head pooling layer");
        }
        return pool.getKernelSize()[0] * 32;
    }
}
