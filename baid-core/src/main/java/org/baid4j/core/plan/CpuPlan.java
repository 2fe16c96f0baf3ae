package org.baid4j.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.baid4j.core.layers.AdaIN;
import org.baid4j.core.layers.NonLocalAttention;
import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.baid4j.core.plan.layers.ChannelsLastConvolution;
import org.baid4j.core.plan.layers.ChannelsLayout;
import org.baid4j.core.plan.layers.ClosedFormAdaIN;
import org.baid4j.core.plan.layers.ClosedFormNonLocalAttention;
import org.baid4j.core.plan.layers.ImageConvolution;
import org.baid4j.core.plan.layers.OneDnnBatchNormalization;
import org.baid4j.core.plan.layers.OneDnnConvolution;
import org.baid4j.core.plan.layers.OneDnnDense;
import org.baid4j.core.plan.layers.ReLU;
import org.baid4j.core.plan.layers.ResidualAdd;
import org.baid4j.core.plan.layers.WinogradConvolution;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.util.GraphIndices;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CPU plan: how nd4j-native with oneDNN runs a declared network fast. It rewrites the
 * declaration, as a model file stores it, into the configuration that runs; parameters keep their
 * shapes and order, so the declaration's parameters run as they are.
 * <ol>
 *   <li><b>Channels last.</b> oneDNN's AVX-512 convolutions want NHWC; in NCHW every convolution
 *       reorders its input and output (two thirds of SAAN's inference time). Every convolution,
 *       BatchNorm, pooling, ReLU and residual add that the image reaches through such layers alone
 *       runs in NHWC (SAAN's three backbones; everything of the pretraining network but its
 *       outputs); a layout change is inserted where NHWC meets the rest, which stays NCHW.</li>
 *   <li><b>oneDNN's kernels, and DL4J's defects around them</b> ({@link org.baid4j.core.plan.layers}):
 *       convolutions as {@link ChannelsLastConvolution} and {@link OneDnnConvolution} (oneDNN's
 *       helper, without DL4J's needless copies and recomputed forward pass); a frozen 3x3 stride-1
 *       convolution with a bias and no BatchNorm after it (the VGG) by Winograd
 *       ({@link WinogradConvolution}: BatchNorm in training mode amplified Winograd's rounding
 *       past PyTorch's spread); the trainable convolution that reads the image (a three-channel
 *       network input: nothing reads its gradient) computes its weight gradient alone
 *       ({@link ImageConvolution}); BatchNorm on oneDNN's own primitives
 *       ({@link OneDnnBatchNormalization}).</li>
 *   <li><b>Fewer passes.</b> ReLU and residual adds in one pass ({@link ReLU},
 *       {@link ResidualAdd}); AdaIN in closed form ({@link ClosedFormAdaIN}) instead of SameDiff, and the non-local
 *       attention's inference ({@link ClosedFormNonLocalAttention}).</li>
 *   <li><b>The network</b> ({@link PlannedGraph}): the frozen branches' activations freed once
 *       read, DL4J's updater on its standard path, no weight-decay norm in the score.</li>
 *   <li><b>Scoring</b> ({@link PlannedGraph#fixParameters}): convolutions on primitives of their own
 *       with weights kept in their layouts, each BatchNorm folded into its convolution with the
 *       residual add and ReLU after it ({@link InferenceFusion}), dense layers on oneDNN's inner
 *       product ({@link OneDnnDense}).</li>
 * </ol>
 * oneDNN runs float32: a network of another data type (the pretraining step's float64 parity
 * test) keeps its declared layers and gets the network's jobs alone.
 */
public final class CpuPlan extends ExecutionPlan {
    static final CpuPlan INSTANCE = new CpuPlan();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NHWC = "NHWC";
    private static final String NCHW = "NCHW";

    private CpuPlan() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public ComputationGraph network(ComputationGraphConfiguration semantic, INDArray params, INDArray updaterState) {
        return initialised(new PlannedGraph(configuration(semantic), copy(semantic), true), params, updaterState);
    }

    @Override
    public ComputationGraphConfiguration configuration(ComputationGraphConfiguration semantic) {
        if (semantic.getDataType() != DataType.FLOAT) {
            return copy(semantic);
        }
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(semantic.toJson());
            new Rewrite(json, new ComputationGraph(copy(semantic)).calculateIndices()).run();
            return ComputationGraphConfiguration.fromJson(JSON.writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy through the configuration's JSON: DL4J's {@code clone()} drops the iteration and epoch counts. */
    static ComputationGraphConfiguration copy(ComputationGraphConfiguration conf) {
        return ComputationGraphConfiguration.fromJson(conf.toJson());
    }

    /** One rewrite of a configuration's JSON. */
    private static final class Rewrite {
        private final ObjectNode conf;
        private final ObjectNode vertices;
        private final ObjectNode inputs;
        /** The declaration's vertices as DL4J indexes them: the order it lays out parameters in, and the one it initialises them in. */
        private final GraphIndices indices;
        private final List<String> order = new ArrayList<>();
        private final Set<String> networkInputs = new HashSet<>();
        private final Set<String> outputs = new HashSet<>();
        private final Map<String, String> layout = new LinkedHashMap<>();
        /** Layout changes inserted, by the vertex they read: (its name in the other layout). */
        private final Map<String, String> changed = new LinkedHashMap<>();

        Rewrite(ObjectNode conf, GraphIndices indices) {
            this.conf = conf;
            this.vertices = (ObjectNode) conf.get("vertices");
            this.inputs = (ObjectNode) conf.get("vertexInputs");
            this.indices = indices;
            for (int i : indices.getTopologicalSortOrder()) {
                order.add(indices.getIdxToName().get(i));
            }
            conf.get("networkInputs").forEach(n -> networkInputs.add(n.asText()));
            conf.get("networkOutputs").forEach(n -> outputs.add(n.asText()));
        }

        void run() {
            for (String name : order) {
                layout.put(name, networkInputs.contains(name) || !channelsLastCapable(name) || !readsOnlyChannelsLast(name)
                        ? NCHW : NHWC);
            }
            for (String name : order) {
                if (!networkInputs.contains(name)) {
                    rewrite(name);
                }
            }
            // The declaration's order, each layout change right after the vertex it reads. Indices:
            // the declaration's, the layout changes' after them, so that DL4J lays the parameters out
            // and draws their initial values in the declaration's order.
            ArrayNode names = conf.putArray("topologicalOrderStr");
            ArrayNode sorted = conf.putArray("topologicalOrder");
            int next = indices.getNameToIdx().size();
            for (String name : order) {
                names.add(name);
                sorted.add(indices.getNameToIdx().get(name));
                for (String layoutVertex : List.of(name + ".nhwc", name + ".nchw")) {
                    if (changed.containsValue(layoutVertex)) {
                        names.add(layoutVertex);
                        sorted.add(next++);
                    }
                }
            }
        }

        /** A vertex that can run on NHWC maps: convolutions, BatchNorm, pooling, ReLU, residual adds, frozen or not; never an output. */
        private boolean channelsLastCapable(String name) {
            if (outputs.contains(name)) {
                return false;
            }
            String cls = className(vertices.get(name));
            if (cls.equals(LayerVertex.class.getName())) {
                String layer = className(innerLayer(name));
                return layer.equals(ConvolutionLayer.class.getName()) || layer.equals(ReferenceBatchNormalization.class.getName())
                        || layer.equals(SubsamplingLayer.class.getName()) || isRelu(innerLayer(name));
            }
            return isAdd(vertices.get(name)) || cls.equals(FrozenVertex.class.getName()) && isAdd(vertices.get(name).get("underlying"));
        }

        /** Whether every input is the image or runs in NHWC (the image is changed to NHWC on its way in). */
        private boolean readsOnlyChannelsLast(String name) {
            for (JsonNode input : inputs.get(name)) {
                String in = input.asText();
                if (!networkInputs.contains(in) && !NHWC.equals(layout.get(in))) {
                    return false;
                }
            }
            return true;
        }

        private void rewrite(String name) {
            ObjectNode vertex = (ObjectNode) vertices.get(name);
            boolean nhwc = NHWC.equals(layout.get(name));
            String cls = className(vertex);
            if (cls.equals(LayerVertex.class.getName())) {
                ObjectNode layer = innerLayer(name);
                boolean frozen = className(layerNode(name)).equals(FrozenLayer.class.getName());
                rewriteLayer(name, layer, nhwc, frozen);
            } else if (isAdd(vertex)) {
                vertices.set(name, JSON.createObjectNode().put("@class", ResidualAdd.class.getName()).put("op", "Add"));
            } else if (cls.equals(FrozenVertex.class.getName()) && isAdd(vertex.get("underlying"))) {
                vertex.set("underlying", JSON.createObjectNode().put("@class", ResidualAdd.class.getName()).put("op", "Add"));
            } else if (cls.equals(AdaIN.class.getName())) {
                vertices.set(name, JSON.createObjectNode().put("@class", ClosedFormAdaIN.class.getName()));
            } else if (cls.equals(NonLocalAttention.class.getName())) {
                vertex.put("@class", ClosedFormNonLocalAttention.class.getName());
            }
            ArrayNode in = (ArrayNode) inputs.get(name);
            String want = nhwc ? NHWC : NCHW;
            for (int i = 0; i < in.size(); i++) {
                String from = in.get(i).asText();
                String has = networkInputs.contains(from) ? NCHW : layout.get(from);
                if (!want.equals(has)) {
                    in.set(i, in.textNode(layoutChange(from, want)));
                }
            }
        }

        private void rewriteLayer(String name, ObjectNode layer, boolean nhwc, boolean frozen) {
            String cls = className(layer);
            if (cls.equals(ConvolutionLayer.class.getName())) {
                String planned;
                if (!nhwc) {
                    planned = OneDnnConvolution.class.getName();
                } else if (frozen && isWinogradShape(layer) && layer.path("hasBias").asBoolean() && !readByBatchNorm(name)) {
                    planned = WinogradConvolution.class.getName();
                } else if (!frozen && readsTheImage(name, layer)) {
                    planned = ImageConvolution.class.getName();
                } else {
                    planned = ChannelsLastConvolution.class.getName();
                }
                layer.put("@class", planned);
                layer.put("cnn2dDataFormat", nhwc ? NHWC : NCHW);
            } else if (cls.equals(ReferenceBatchNormalization.class.getName())) {
                layer.put("@class", OneDnnBatchNormalization.class.getName());
                layer.put("cnn2DFormat", nhwc ? NHWC : layer.path("cnn2DFormat").asText(NCHW));
            } else if (cls.equals(SubsamplingLayer.class.getName()) && nhwc) {
                layer.put("cnn2dDataFormat", NHWC);
            } else if (isRelu(layer)) {
                layer.put("@class", ReLU.class.getName());
            } else if (cls.equals(DenseLayer.class.getName())) {
                layer.put("@class", OneDnnDense.class.getName());
            }
        }

        private static boolean isWinogradShape(ObjectNode conv) {
            return conv.path("kernelSize").path(0).asInt() == 3 && conv.path("kernelSize").path(1).asInt() == 3
                    && conv.path("stride").path(0).asInt() == 1 && conv.path("stride").path(1).asInt() == 1
                    && conv.path("dilation").path(0).asInt(1) == 1 && conv.path("dilation").path(1).asInt(1) == 1;
        }

        private boolean readByBatchNorm(String name) {
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) inputs::fields) {
                for (JsonNode in : e.getValue()) {
                    if (in.asText().equals(name) && className(vertices.get(e.getKey())).equals(LayerVertex.class.getName())
                            && className(innerLayer(e.getKey())).contains("BatchNormalization")) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Whether the convolution reads an image: a network input of three channels, whose gradient nothing reads. */
        private boolean readsTheImage(String name, ObjectNode conv) {
            JsonNode in = inputs.get(name);
            return in.size() == 1 && networkInputs.contains(in.get(0).asText()) && conv.path("nin").asLong() == 3;
        }

        /** The vertex that gives {@code from}'s output in {@code layout}, added once per vertex and layout. */
        private String layoutChange(String from, String layout) {
            String key = from + " " + layout;
            String name = changed.get(key);
            if (name == null) {
                name = from + (layout.equals(NHWC) ? ".nhwc" : ".nchw");
                ObjectNode vertex = JSON.createObjectNode().put("@class", PreprocessorVertex.class.getName());
                vertex.putObject("preProcessor").put("@class", ChannelsLayout.class.getName()).put("to", layout);
                vertices.set(name, vertex);
                inputs.putArray(name).add(from);
                changed.put(key, name);
            }
            return name;
        }

        /** The layer a LayerVertex holds, inside FrozenLayer or FrozenBatchNormalization where wrapped. */
        private ObjectNode innerLayer(String name) {
            ObjectNode layer = layerNode(name);
            return layer.has("layer") && layer.get("layer").isObject() ? (ObjectNode) layer.get("layer") : layer;
        }

        private ObjectNode layerNode(String name) {
            return (ObjectNode) vertices.get(name).get("layerConf").get("layer");
        }

        private static boolean isRelu(JsonNode layer) {
            return className(layer).equals(ActivationLayer.class.getName())
                    && className(layer.path("activationFn")).equals(ActivationReLU.class.getName());
        }

        private static boolean isAdd(JsonNode vertex) {
            return className(vertex).equals(ElementWiseVertex.class.getName()) && "Add".equals(vertex.path("op").asText());
        }

        private static String className(JsonNode node) {
            return node == null ? "" : node.path("@class").asText("");
        }
    }
}
