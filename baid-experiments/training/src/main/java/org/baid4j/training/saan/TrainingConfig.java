package org.baid4j.training.saan;

import com.fasterxml.jackson.databind.JsonNode;
import org.baid4j.core.model.HeadActivation;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanGraph;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.core.optim.LearningRateSchedule;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.RunSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One SAAN training run, in four sections, as config.json records it: the data, the model, the
 * optimiser with its learning-rate schedule, and the run. {@link #reference} declares the
 * reference's settings, the one source of every default (the CLI's options take theirs from it).
 * Paths are strings so that the file reads back on another machine.
 */
public record TrainingConfig(Data data, Model model, OptimiserConfig optimiser, RunSettings run) {

    /**
     * @param root        the BAID root
     * @param subset      "1.0" for the whole splits, else a fraction or a count (stratified, seeded)
     * @param skipMissing train on the images present, saying how many were left out
     * @param cache       read images through the decoded cache (built on first use)
     * @param threads     decoding threads
     */
    public record Data(String root, String subset, boolean skipMissing, boolean cache, int threads) {
        public Data {
            root = RunDirectory.absolute(root);
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
        }
    }

    /**
     * @param variant         full, without-gab, without-sab
     * @param from            a full SAAN checkpoint to start from (PyTorch .pth or DL4J model), or null
     * @param pretrained      the pretraining network's checkpoint for GAB and SAB's ResNet, or null
     * @param resnet          torchvision's resnet50 state_dict for the same, or null
     * @param vgg             torchvision's vgg19 state_dict for the style encoder, or null
     * @param randomBackbones train without any of the four: explicit, and recorded here
     */
    public record Model(String variant, int inputSize, double dropout, String headActivation, String from,
                        String pretrained, String resnet, String vgg, boolean randomBackbones) {
        public Model {
            from = RunDirectory.absolute(from);
            pretrained = RunDirectory.absolute(pretrained);
            resnet = RunDirectory.absolute(resnet);
            vgg = RunDirectory.absolute(vgg);
        }

        public Model withVariant(String v) {
            return new Model(v, inputSize, dropout, headActivation, null, pretrained, resnet, vgg, randomBackbones);
        }
    }

    public TrainingConfig {
        if (model.from() == null && model.pretrained() == null && model.resnet() == null && model.vgg() == null
                && !model.randomBackbones()) {
            throw new IllegalArgumentException("no backbone weights: give --from, --pretrained, --resnet or --vgg,"
                    + " or --random-backbones to train from random initialisation deliberately");
        }
        saanConfig(model, run.seed());   // validates
    }

    /** The reference's settings for a root, with random backbones (callers set the weights). */
    public static TrainingConfig reference(String root) {
        SaanConfig saan = SaanConfig.reference();
        return new TrainingConfig(
                new Data(root, "1.0", false, false, Runtime.getRuntime().availableProcessors()),
                new Model(saan.variant().label(), saan.inputSize(), saan.dropout(), saan.headActivation().label(),
                        null, null, null, null, true),
                OptimiserConfig.reference(),
                new RunSettings(SaanGraph.REFERENCE_EPOCHS, 64, saan.seed(), 2, 2, 0));
    }

    public TrainingConfig withData(Data d) {
        return new TrainingConfig(d, model, optimiser, run);
    }

    public TrainingConfig withModel(Model m) {
        return new TrainingConfig(data, m, optimiser, run);
    }

    public TrainingConfig withOptimiser(OptimiserConfig o) {
        return new TrainingConfig(data, model, o, run);
    }

    public TrainingConfig withRun(RunSettings r) {
        return new TrainingConfig(data, model, optimiser, r);
    }

    /** The network's configuration (the run's seed initialises it). */
    public SaanConfig saanConfig() {
        return saanConfig(model, run.seed());
    }

    private static SaanConfig saanConfig(Model m, long seed) {
        return new SaanConfig(SaanVariant.parse(m.variant()), m.inputSize(), m.dropout(),
                HeadActivation.parse(m.headActivation()), seed);
    }

    /** Reads a run's config.json; a run folder written before the sections existed (a flat record) is read as it meant. */
    public static TrainingConfig read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file.getParent() + ": not a training run (no config.json)");
        }
        JsonNode json = RunDirectory.readJson(file);
        try {
            if (json.has("data") && json.has("run")) {
                return RunDirectory.JSON.treeToValue(json, TrainingConfig.class);
            }
            if (json.has("root") && json.has("learningRate")) {
                return fromFlatRecord(json);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not a usable SAAN training configuration (" + RunDirectory.problem(e) + ")", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": not a usable SAAN training configuration (" + e.getMessage() + ")", e);
        }
        throw new IOException(file + ": not a SAAN training configuration (no data/model/optimiser/run sections)");
    }

    /** config.json as baid4j wrote it before the sections: 21 fields, the optimiser's betas and schedule implied. */
    private static TrainingConfig fromFlatRecord(JsonNode j) {
        OptimiserConfig ref = OptimiserConfig.reference();
        return new TrainingConfig(
                new Data(j.get("root").asText(), j.get("subset").asText(), j.get("skipMissing").asBoolean(),
                        j.get("useCache").asBoolean(), j.get("threads").asInt()),
                new Model(j.get("variant").asText(), j.get("inputSize").asInt(), j.get("dropout").asDouble(),
                        j.get("headActivation").asText(), text(j, "from"), text(j, "pretrained"), text(j, "resnet"),
                        text(j, "vgg"), j.get("randomBackbones").asBoolean()),
                new OptimiserConfig(j.get("learningRate").asDouble(), ref.beta1(), ref.beta2(), ref.epsilon(),
                        j.get("weightDecay").asDouble(), LearningRateSchedule.REFERENCE_STEP),
                new RunSettings(j.get("epochs").asInt(), j.get("batch").asInt(), j.get("seed").asLong(),
                        j.get("validateEvery").asInt(), j.get("checkpointEvery").asInt(), 0));
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
