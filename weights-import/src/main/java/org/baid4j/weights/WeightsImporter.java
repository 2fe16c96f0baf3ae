package org.baid4j.weights;

import org.baid4j.core.model.GabPretrainingNetwork;
import org.baid4j.core.model.ModelFiles;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies PyTorch checkpoints into SAAN graphs by the rules of {@link NameRules}. Every import
 * returns an {@link ImportReport}; a checkpoint of the wrong kind, one that matches nothing, or a
 * tensor of the wrong shape is an error that names the file and the key.
 */
public final class WeightsImporter {
    private static final String DATA_PARALLEL_PREFIX = "module.";

    private WeightsImporter() {
    }

    /** A SAAN network built for the checkpoint's variant with all its weights, and the report. */
    public record ImportedSaan(SaanModel model, ImportReport report) {
    }

    /**
     * Builds the SAAN variant the checkpoint holds (full, without GAB, without SAB) at
     * {@code inputSize} and loads every parameter and BN statistic into it. Anything of the graph
     * left unset is an error.
     */
    public static ImportedSaan importSaan(Path file, int inputSize) throws IOException {
        Map<String, TorchTensor> stateDict = stateDictOf(file, CheckpointLayout.SAAN);
        SaanVariant variant = variantOf(stateDict.keySet(), file);
        SaanModel model = SaanModel.create(SaanConfig.of(variant).withInputSize(inputSize));
        ImportReport report = apply(model.graph(), stateDict, CheckpointLayout.SAAN, file);
        if (!report.notFilled().isEmpty()) {
            throw new CheckpointFormatException(file + ": incomplete SAAN checkpoint, " + report.notFilled().size()
                    + " parameters of the " + variant.label() + " network are missing (e.g. "
                    + String.join(", ", report.notFilled().subList(0, Math.min(5, report.notFilled().size()))) + ")");
        }
        return new ImportedSaan(model, report);
    }

    /**
     * Loads a checkpoint of the given layout into {@code net}, which keeps what the file does not set.
     * For {@link CheckpointLayout#PRETRAIN} the file may also be baid4j's own pretraining network
     * ({@code baid pretrain}'s best.zip), mapped by the same module rules.
     */
    public static ImportReport load(ComputationGraph net, Path file, CheckpointLayout layout) throws IOException {
        if (layout == CheckpointLayout.PRETRAIN && ModelFiles.cardIfModelFile(file)
                .filter(card -> GabPretrainingNetwork.TYPE.name().equals(card.type())).isPresent()) {
            return fromPretrainingNetwork(net, GabPretrainingNetwork.load(file.toFile()), file);
        }
        return apply(net, stateDictOf(file, layout), layout, file);   // refuses any other baid4j model file, by name
    }

    /**
     * Copies baid4j's pretraining network into {@code net} by the {@link CheckpointLayout#PRETRAIN}
     * rules: its layer {@code model/X} stands for the module {@code model.X} of the authors' file.
     */
    static ImportReport fromPretrainingNetwork(ComputationGraph net, GabPretrainingNetwork pretrained, Path file)
            throws CheckpointFormatException {
        NameRules rules = NameRules.standard();
        ImportReport report = new ImportReport(file, CheckpointLayout.PRETRAIN);
        Set<String> filled = new HashSet<>();
        String prefix = GabPretrainingNetwork.PREFIX + "/";
        for (Layer source : pretrained.graph().getLayers()) {
            String name = source.conf().getLayer().getLayerName();
            Map<String, INDArray> params = source.paramTable(false);
            if (params.isEmpty()) {
                continue;
            }
            List<String> targets = name.startsWith(prefix)
                    ? rules.layersFor(CheckpointLayout.PRETRAIN, "model." + name.substring(prefix.length())) : List.of();
            for (Map.Entry<String, INDArray> p : params.entrySet()) {
                String key = name + "_" + p.getKey();
                if (targets.isEmpty()) {
                    report.skipped(key, "not part of GAB or SAB's ResNet (layer4 and the classifier have no rule)");
                    continue;
                }
                for (String target : targets) {
                    GraphVertex vertex = net.getVertex(target);
                    if (vertex == null || !vertex.hasLayer()) {
                        report.skipped(key, "layer " + target + " is not in this network");
                        continue;
                    }
                    INDArray into = net.getParam(target + "_" + p.getKey());
                    if (into == null || into.length() != p.getValue().length()) {
                        throw new CheckpointFormatException(file + ": " + key + " has shape "
                                + Arrays.toString(p.getValue().shape()) + ", but " + target + "_" + p.getKey() + " needs "
                                + (into == null ? "nothing of that name" : Arrays.toString(into.shape())));
                    }
                    into.assign(p.getValue().reshape(into.shape()));
                    report.loaded(key, target + "_" + p.getKey());
                    filled.add(target + "_" + p.getKey());
                }
            }
        }
        if (report.loaded().isEmpty()) {
            throw new CheckpointFormatException(file + ": nothing in it maps onto this network (no GAB or SAB ResNet?)");
        }
        notFilled(net, filled, report);
        return report;
    }

    /** The state_dict of {@code file}, DataParallel's "module." prefix removed, checked to be of {@code layout}. */
    static Map<String, TorchTensor> stateDictOf(Path file, CheckpointLayout layout) throws IOException {
        var card = ModelFiles.cardIfModelFile(file);
        if (card.isPresent()) {
            String hint = GabPretrainingNetwork.TYPE.name().equals(card.get().type()) ? " (a pretraining network: give it to --pretrained)" : "";
            throw new CheckpointFormatException(file + ": a baid4j " + card.get().type() + " model file, not "
                    + layout.description() + hint);
        }
        Map<String, TorchTensor> stateDict = stripDataParallelPrefix(TorchCheckpoint.read(file).stateDict());
        CheckpointLayout detected = CheckpointLayout.detect(stateDict.keySet());
        if (detected != null && !layout.reads(detected)) {
            throw new CheckpointFormatException(file + ": looks like " + detected.description() + ", but "
                    + layout.description() + " was expected here");
        }
        return stateDict;
    }

    static SaanVariant variantOf(Set<String> keys, Path file) throws CheckpointFormatException {
        try {
            return SaanVariant.withBranches(keys.stream().anyMatch(k -> k.startsWith("GenAes.")),
                    keys.stream().anyMatch(k -> k.startsWith("StyAes.")), file.toString());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(e.getMessage() + " (a SAAN checkpoint has GenAes.* or StyAes.* entries;"
                    + " found " + keys.stream().limit(5).toList() + ")");
        }
    }

    /** Copies every entry the rules map; the report lists the rest. */
    public static ImportReport apply(ComputationGraph net, Map<String, TorchTensor> stateDict, CheckpointLayout layout,
                                     Path file) throws CheckpointFormatException {
        NameRules rules = NameRules.standard();
        ImportReport report = new ImportReport(file, layout);
        Set<String> filled = new HashSet<>();
        for (Map.Entry<String, TorchTensor> entry : stateDict.entrySet()) {
            String key = entry.getKey();
            int dot = key.lastIndexOf('.');
            String module = dot < 0 ? "" : key.substring(0, dot);
            String param = key.substring(dot + 1);
            List<String> layers = rules.layersFor(layout, module);
            if (layers.isEmpty()) {
                report.skipped(key, "no rule for module '" + module + "' in layout " + layout.id());
                continue;
            }
            for (String layerName : layers) {
                GraphVertex vertex = net.getVertex(layerName);
                if (vertex == null || !vertex.hasLayer()) {
                    report.skipped(key, "layer " + layerName + " is not in this network");
                    continue;
                }
                String kind = kindOf(vertex.getLayer());
                NameRules.ParameterRule rule = rules.parameter(kind, param);
                if (rule == null) {
                    throw new CheckpointFormatException(file + ": key '" + key + "': a " + kind + " layer ("
                            + layerName + ") has no parameter '" + param + "'");
                }
                if (rule.skipped()) {
                    report.skipped(key, rule.skipReason());
                    continue;
                }
                String target = layerName + "_" + rule.dl4jKey();
                copy(entry.getValue(), rule.transpose(), net.getParam(target), key, target, file);
                report.loaded(key, target);
                filled.add(target);
            }
        }
        if (report.loaded().isEmpty()) {
            throw new CheckpointFormatException(file + ": nothing in it maps onto the network as "
                    + layout.description() + "; its first keys are " + stateDict.keySet().stream().limit(5).toList());
        }
        notFilled(net, filled, report);
        return report;
    }

    private static void notFilled(ComputationGraph net, Set<String> filled, ImportReport report) {
        for (GraphVertex vertex : net.getVertices()) {
            Map<String, INDArray> params = vertex.paramTable(false);
            if (params != null) {
                for (String p : params.keySet()) {
                    String full = vertex.getVertexName() + "_" + p;
                    if (!filled.contains(full)) {
                        report.notFilled(full);
                    }
                }
            }
        }
    }

    private static void copy(TorchTensor tensor, boolean transpose, INDArray target, String key, String targetName,
                             Path file) throws CheckpointFormatException {
        if (target == null) {
            throw new CheckpointFormatException(file + ": key '" + key + "' maps to " + targetName
                    + ", which the network does not have");
        }
        if (!tensor.dtype().isFloatingPoint() && !key.endsWith("running_mean") && !key.endsWith("running_var")) {
            throw new CheckpointFormatException(file + ": key '" + key + "' is " + tensor.dtype() + ", not a float tensor");
        }
        INDArray value = tensor.toINDArray();
        if (value.length() > 0 && (BooleanIndexing.or(value, Conditions.isNan())
                || BooleanIndexing.or(value, Conditions.isInfinite()))) {
            throw new CheckpointFormatException(file + ": key '" + key + "' holds NaN or infinite values: a damaged or"
                    + " diverged checkpoint, refused");
        }
        if (transpose) {
            value = value.transpose();
        }
        if (!Arrays.equals(squeeze(value.shape()), squeeze(target.shape()))) {
            throw new CheckpointFormatException(file + ": key '" + key + "' has shape "
                    + Arrays.toString(tensor.shape()) + ", but " + targetName + " needs "
                    + Arrays.toString(transpose ? new long[]{target.size(1), target.size(0)} : target.shape()));
        }
        target.assign(value.reshape(target.shape()));
    }

    /** The shape without its 1-sized axes: DL4J keeps biases and BN vectors as [1, n]. */
    private static long[] squeeze(long[] shape) {
        return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }

    static String kindOf(Layer layer) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof ConvolutionLayer) {
            return "conv";
        }
        if (conf instanceof BatchNormalization) {
            return "batchnorm";
        }
        if (conf instanceof FeedForwardLayer) {
            return "dense";
        }
        return conf.getClass().getSimpleName();
    }

    static Map<String, TorchTensor> stripDataParallelPrefix(Map<String, TorchTensor> stateDict) {
        if (stateDict.isEmpty() || !stateDict.keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))) {
            return stateDict;
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> out.put(k.substring(DATA_PARALLEL_PREFIX.length()), v));
        return out;
    }
}
