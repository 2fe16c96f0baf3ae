package org.baid4j.training.saan;

import org.baid4j.core.io.StrictJson;
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
 * One SAAN training run, in four sections, as config.json records it: the data, the model (the
 * network's {@link SaanConfig}, the same record model cards hold, and where its weights start),
 * the optimiser with its learning-rate schedule, and the run. {@link #reference} declares the
 * reference's settings, the one source of every default (the builder's and the CLI's). Paths are
 * absolute strings, so that the file reads back from any working directory.
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder().setRoot("/data/baid")
 *         .optPretrained("epoch_99.pth").optVgg("vgg19-dcbb9e9d.pth")
 *         .optLearningRate(5e-4).optDropout(0.2).optHeadActivation(HeadActivation.LEAKY_RELU)
 *         .build();
 * }</pre>
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
            if (root == null || root.isBlank()) {
                throw new IllegalArgumentException("a BAID root must be given");
            }
            root = RunDirectory.absolute(root);
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
        }
    }

    /**
     * @param network the SAAN to train (its seed initialises it); with {@code weights.from}, the
     *                variant that checkpoint must hold
     * @param weights where the network's weights start
     */
    public record Model(SaanConfig network, Weights weights) {
        public Model {
            if (network == null || weights == null) {
                throw new IllegalArgumentException("the model section needs its network and its weights");
            }
        }
    }

    /**
     * @param from            a full SAAN checkpoint to start from (PyTorch .pth or baid4j model), or null
     * @param pretrained      the pretraining network's checkpoint for GAB and SAB's ResNet, or null
     * @param resnet          torchvision's resnet50 state_dict for the same, or null
     * @param vgg             torchvision's vgg19 state_dict for the style encoder, or null
     * @param randomBackbones train without any of the four: explicit, and recorded here
     */
    public record Weights(String from, String pretrained, String resnet, String vgg, boolean randomBackbones) {
        public Weights {
            from = RunDirectory.absolute(from);
            pretrained = RunDirectory.absolute(pretrained);
            resnet = RunDirectory.absolute(resnet);
            vgg = RunDirectory.absolute(vgg);
            if (from == null && pretrained == null && resnet == null && vgg == null && !randomBackbones) {
                throw new IllegalArgumentException("no backbone weights: give --from, --pretrained, --resnet or --vgg,"
                        + " or --random-backbones to train from random initialisation deliberately");
            }
            if (from == null && vgg == null && (pretrained != null || resnet != null) && !randomBackbones) {
                throw new IllegalArgumentException((pretrained != null ? "--pretrained" : "--resnet") + " fills GAB and"
                        + " SAB's ResNet only: give --vgg (a file, or auto) for the style encoder, or --random-backbones"
                        + " to leave the VGG random deliberately");
            }
        }

        /** Each file given is there and a file (checked before a run starts, so that nothing is made for nothing). */
        public void requireFiles() throws java.io.IOException {
            String[][] given = {{"--from", from}, {"--pretrained", pretrained}, {"--resnet", resnet}, {"--vgg", vgg}};
            for (String[] g : given) {
                if (g[1] == null) {
                    continue;
                }
                Path p = Path.of(g[1]);
                if (java.nio.file.Files.isDirectory(p)) {
                    throw new IllegalArgumentException(g[0] + " " + p + ": a folder, not a checkpoint file");
                }
                if (!java.nio.file.Files.isRegularFile(p)) {
                    throw new java.nio.file.NoSuchFileException(p.toString(), null, "no such file (" + g[0] + ")");
                }
            }
        }

        /** No weights: random backbones, deliberately. */
        public static Weights random() {
            return new Weights(null, null, null, null, true);
        }
    }

    public TrainingConfig {
        if (data == null || model == null || optimiser == null || run == null) {
            throw new IllegalArgumentException("a training configuration needs its data, model, optimiser and run sections");
        }
    }

    /** The reference's settings on {@code root}, with random backbones (set the weights with the builder). */
    public static TrainingConfig reference(String root) {
        return new TrainingConfig(
                new Data(root, "1.0", false, false, Runtime.getRuntime().availableProcessors()),
                new Model(SaanConfig.reference(), Weights.random()),
                OptimiserConfig.reference(),
                new RunSettings(SaanGraph.REFERENCE_EPOCHS, 64, SaanConfig.REFERENCE_SEED, 2, 2, 0));
    }

    /** A builder from the reference's settings: {@code set*} what must be given, {@code opt*} the rest. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(this);
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

    /** The network's configuration. */
    public SaanConfig saanConfig() {
        return model.network();
    }

    /**
     * Reads a run's config.json. A run folder from before the model section held the network's
     * configuration is refused with what to do: its checkpoints are of a model-file format this
     * version does not read either.
     */
    public static TrainingConfig read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file.getParent() + ": not a training run (no config.json)");
        }
        JsonNode json = RunDirectory.readJson(file);
        if (!json.has("data") || !json.has("model") || !json.has("run")) {
            if (json.has("root") && json.has("learningRate") || json.path("data").has("root")) {
                throw new IOException(file + ": a run folder written by an earlier baid4j, which this version does not"
                        + " resume; train it again (baid train) from its backbones or its last model");
            }
            throw new IOException(file + ": not a SAAN training configuration (no data/model/optimiser/run sections)");
        }
        if (!json.path("model").has("network")) {
            throw new IOException(file + ": a run folder written by an earlier baid4j, which this version does not"
                    + " resume; train it again (baid train) from its backbones or its last model");
        }
        try {
            return RunDirectory.JSON.treeToValue(json, TrainingConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not a usable SAAN training configuration (" + StrictJson.problem(e) + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a usable SAAN training configuration (" + e.getMessage() + ")", e);
        }
    }

    /** Settings of a training run, each from the reference's unless set. */
    public static final class Builder {
        private String root;
        private String subset;
        private boolean skipMissing;
        private boolean cache;
        private int threads;
        private SaanConfig network;
        private String from;
        private String pretrained;
        private String resnet;
        private String vgg;
        private boolean randomBackbones;
        private OptimiserConfig optimiser;
        private RunSettings run;

        private Builder() {
            this(reference("."));
            this.root = null;
            this.randomBackbones = false;
        }

        private Builder(TrainingConfig c) {
            root = c.data().root();
            subset = c.data().subset();
            skipMissing = c.data().skipMissing();
            cache = c.data().cache();
            threads = c.data().threads();
            network = c.model().network();
            Weights w = c.model().weights();
            from = w.from();
            pretrained = w.pretrained();
            resnet = w.resnet();
            vgg = w.vgg();
            randomBackbones = w.randomBackbones();
            optimiser = c.optimiser();
            run = c.run();
        }

        /** The BAID root (images/ and, optionally, dataset/). */
        public Builder setRoot(String root) {
            this.root = root;
            return this;
        }

        public Builder setRoot(Path root) {
            return setRoot(root.toString());
        }

        /** A stratified subset of the splits: a fraction ("0.1") or a count ("5000"); "1.0" (default): all. */
        public Builder optSubset(String subset) {
            this.subset = subset;
            return this;
        }

        public Builder optSkipMissing(boolean skip) {
            this.skipMissing = skip;
            return this;
        }

        public Builder optCache(boolean cache) {
            this.cache = cache;
            return this;
        }

        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** The whole network configuration at once (variant, input size, dropout, activation, seed). */
        public Builder optNetwork(SaanConfig network) {
            this.network = network;
            return this;
        }

        public Builder optVariant(SaanVariant variant) {
            network = network.withVariant(variant);
            return this;
        }

        public Builder optInputSize(int pixels) {
            network = network.withInputSize(pixels);
            return this;
        }

        public Builder optDropout(double p) {
            network = network.withDropout(p);
            return this;
        }

        public Builder optHeadActivation(HeadActivation activation) {
            network = network.withHeadActivation(activation);
            return this;
        }

        /** A full SAAN checkpoint to start from (PyTorch .pth or baid4j model). */
        public Builder optFrom(String file) {
            this.from = file;
            return this;
        }

        /** The pretraining network's checkpoint (the authors' epoch_99.pth, or baid pretrain's best.zip) into GAB and SAB's ResNet. */
        public Builder optPretrained(String file) {
            this.pretrained = file;
            return this;
        }

        /** torchvision's resnet50 state_dict into GAB and SAB's ResNet. */
        public Builder optResNet(String file) {
            this.resnet = file;
            return this;
        }

        /** torchvision's vgg19 state_dict into the style encoder. */
        public Builder optVgg(String file) {
            this.vgg = file;
            return this;
        }

        /** Train from random backbones, deliberately (without it, some weights must be given). */
        public Builder optRandomBackbones(boolean random) {
            this.randomBackbones = random;
            return this;
        }

        public Builder optOptimiser(OptimiserConfig optimiser) {
            this.optimiser = optimiser;
            return this;
        }

        public Builder optLearningRate(double lr) {
            optimiser = optimiser.withLearningRate(lr);
            return this;
        }

        /** Adam's moment decays (the reference's: 0.5 and 0.999). */
        public Builder optBetas(double beta1, double beta2) {
            optimiser = optimiser.withBetas(beta1, beta2);
            return this;
        }

        public Builder optWeightDecay(double decay) {
            optimiser = optimiser.withWeightDecay(decay);
            return this;
        }

        public Builder optSchedule(LearningRateSchedule schedule) {
            optimiser = optimiser.withSchedule(schedule);
            return this;
        }

        /** The whole run section at once (epochs, batch, seed, validation and checkpoint intervals, patience). */
        public Builder optRun(RunSettings run) {
            this.run = run;
            return this;
        }

        public Builder optEpochs(int epochs) {
            run = run.withEpochs(epochs);
            return this;
        }

        public Builder optBatch(int batch) {
            run = run.withBatch(batch);
            return this;
        }

        /** The seed of everything random: the network's initialisation, shuffles, flips, subsets, dropout. */
        public Builder optSeed(long seed) {
            run = run.withSeed(seed);
            network = network.withSeed(seed);
            return this;
        }

        /** Validation every {@code validate} epochs, a checkpoint every {@code checkpoint} (the last epoch always gets both). */
        public Builder optIntervals(int validate, int checkpoint) {
            run = run.withIntervals(validate, checkpoint);
            return this;
        }

        public Builder optPatience(int validations) {
            run = run.withPatience(validations);
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(new Data(root, subset, skipMissing, cache, threads),
                    new Model(network, new Weights(from, pretrained, resnet, vgg, randomBackbones)), optimiser, run);
        }
    }
}
