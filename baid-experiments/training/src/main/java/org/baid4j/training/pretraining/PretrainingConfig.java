package org.baid4j.training.pretraining;

import org.baid4j.core.io.StrictJson;
import org.baid4j.core.model.GabPretrainingNetwork;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.RunSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One pretraining run of GAB's ResNet-50, in five sections, as its config.json records it: the
 * data, the network, the losses, the optimiser and the run. {@link #reference} declares the
 * reference's settings ({@code pretraining.py}), the one source of every default.
 */
public record PretrainingConfig(Data data, Model model, Losses losses, OptimiserConfig optimiser, RunSettings run) {
    public static final String ALL_IMAGES = "all";
    public static final String TRAIN_IMAGES = "train";
    /** Operations: BAID's operations.csv where it lists every image, else drawn. */
    public static final String AUTO = "auto";
    public static final String BAID = "baid";
    public static final String DRAWN = "drawn";

    /**
     * @param root        the BAID root
     * @param images      {@value #ALL_IMAGES}: every image of the three splits, as the reference pretrains
     *                    (the test images too, without labels); {@value #TRAIN_IMAGES}: the train split only
     * @param subset      "1.0" for the whole splits, else a fraction or a count per split (stratified, seeded)
     * @param operations  {@value #AUTO}, {@value #BAID}, {@value #DRAWN}, or a CSV file of operations.csv's form
     * @param jpeg        the reference's JPEG round trip (quality 95) of every rendered image
     * @param valImages   at most this many val-split images for the validation metrics
     * @param skipMissing pretrain on the images present, saying how many were left out
     * @param threads     rendering threads
     */
    public record Data(String root, String images, String subset, String operations, boolean jpeg, int valImages,
                       boolean skipMissing, int threads) {
        public Data {
            root = RunDirectory.absolute(root);
            if (operations != null && !operations.equals(AUTO) && !operations.equals(BAID) && !operations.equals(DRAWN)) {
                operations = RunDirectory.absolute(operations);
            }
            if (!ALL_IMAGES.equals(images) && !TRAIN_IMAGES.equals(images)) {
                throw new IllegalArgumentException("--images must be 'all' or 'train', got '" + images + "'");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            if (valImages < 1) {
                throw new IllegalArgumentException("--val-images must be at least 1, got " + valImages);
            }
        }

        public Data withOperations(String ops) {
            return new Data(root, images, subset, ops, jpeg, valImages, skipMissing, threads);
        }
    }

    /**
     * @param inputSize square input side (224 in the reference)
     * @param dropout   before the classifier, PyTorch's meaning
     * @param from      a pretraining checkpoint to start from (baid4j's or the authors' .pth), or null
     */
    public record Model(int inputSize, double dropout, String from) {
        public Model {
            from = RunDirectory.absolute(from);
            if (inputSize < 32 || inputSize % 32 != 0) {
                throw new IllegalArgumentException("--input-size must be a multiple of 32, got " + inputSize);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
            }
        }
    }

    /**
     * @param rankingFrom       the epoch (0-based) from which the ranking loss is added
     * @param degradationWeight the degradation loss's weight
     * @param rankingWeight     the ranking loss's weight
     */
    public record Losses(int rankingFrom, double degradationWeight, double rankingWeight) {
        public Losses {
            if (rankingFrom < 0) {
                throw new IllegalArgumentException("--ranking-from must be >= 0, got " + rankingFrom);
            }
            if (!(degradationWeight >= 0) || !(rankingWeight >= 0) || !Double.isFinite(degradationWeight)
                    || !Double.isFinite(rankingWeight)) {
                throw new IllegalArgumentException("loss weights must be numbers >= 0");
            }
            if (degradationWeight == 0 && rankingWeight == 0) {
                throw new IllegalArgumentException("--degradation-weight and --ranking-weight are both 0: nothing would"
                        + " be learned; give one of them above 0");
            }
        }
    }

    /** The reference's settings for a root: all images, BAID's operations, JPEG on, Adam lr 1e-3, ranking from epoch 30. */
    public static PretrainingConfig reference(String root) {
        return new PretrainingConfig(
                new Data(root, ALL_IMAGES, "1.0", AUTO, true, 1000, false, Runtime.getRuntime().availableProcessors()),
                new Model(224, GabPretrainingNetwork.REFERENCE_DROPOUT, null),
                new Losses(30, 1.0, 0.1),
                GabPretrainingNetwork.REFERENCE_OPTIMISER,
                new RunSettings(GabPretrainingNetwork.REFERENCE_EPOCHS, 64, 42, 2, 2, 0));
    }

    /** A builder from the reference's settings: {@code set*} what must be given, {@code opt*} the rest. */
    public static Builder builder() {
        return new Builder(reference("."), null);
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(this, data.root());
    }

    public PretrainingConfig withData(Data d) {
        return new PretrainingConfig(d, model, losses, optimiser, run);
    }

    public PretrainingConfig withModel(Model m) {
        return new PretrainingConfig(data, m, losses, optimiser, run);
    }

    public PretrainingConfig withLosses(Losses l) {
        return new PretrainingConfig(data, model, l, optimiser, run);
    }

    public PretrainingConfig withOptimiser(OptimiserConfig o) {
        return new PretrainingConfig(data, model, losses, o, run);
    }

    public PretrainingConfig withRun(RunSettings r) {
        return new PretrainingConfig(data, model, losses, optimiser, r);
    }

    /** Reads a pretraining run's config.json. */
    public static PretrainingConfig read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file.getParent() + ": not a pretraining run (no config.json)");
        }
        com.fasterxml.jackson.databind.JsonNode json = RunDirectory.readJson(file);
        if (!json.has("losses")) {
            throw new IOException(file + ": not a pretraining configuration (a SAAN training run? no 'losses' section)");
        }
        try {
            return RunDirectory.JSON.treeToValue(json, PretrainingConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not a usable pretraining configuration (" + StrictJson.problem(e) + ")", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": not a usable pretraining configuration (" + e.getMessage() + ")", e);
        }
    }

    /** A line for logs. */
    public String describe() {
        return String.format(Locale.ROOT, "%s images of %s, operations %s, JPEG %s, %d px, ranking from epoch %d",
                data.images(), data.root(), data.operations(), data.jpeg() ? "on" : "off", model.inputSize(),
                losses.rankingFrom());
    }

    /** Settings of a pretraining run, each from the reference's unless set. */
    public static final class Builder {
        private String root;
        private String images;
        private String subset;
        private String operations;
        private boolean jpeg;
        private int valImages;
        private boolean skipMissing;
        private int threads;
        private int inputSize;
        private double dropout;
        private String from;
        private Losses losses;
        private OptimiserConfig optimiser;
        private RunSettings run;

        private Builder(PretrainingConfig c, String root) {
            this.root = root;
            images = c.data().images();
            subset = c.data().subset();
            operations = c.data().operations();
            jpeg = c.data().jpeg();
            valImages = c.data().valImages();
            skipMissing = c.data().skipMissing();
            threads = c.data().threads();
            inputSize = c.model().inputSize();
            dropout = c.model().dropout();
            from = c.model().from();
            losses = c.losses();
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

        /** {@value #ALL_IMAGES} (the reference's: the test images too, without labels) or {@value #TRAIN_IMAGES}. */
        public Builder optImages(String images) {
            this.images = images;
            return this;
        }

        public Builder optSubset(String subset) {
            this.subset = subset;
            return this;
        }

        /** {@value #AUTO}, {@value #BAID}, {@value #DRAWN}, or a CSV file of operations.csv's form. */
        public Builder optOperations(String operations) {
            this.operations = operations;
            return this;
        }

        /** The reference's JPEG round trip (quality 95) of every rendered image (default on). */
        public Builder optJpeg(boolean jpeg) {
            this.jpeg = jpeg;
            return this;
        }

        public Builder optValImages(int images) {
            this.valImages = images;
            return this;
        }

        public Builder optSkipMissing(boolean skip) {
            this.skipMissing = skip;
            return this;
        }

        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder optInputSize(int pixels) {
            this.inputSize = pixels;
            return this;
        }

        public Builder optDropout(double p) {
            this.dropout = p;
            return this;
        }

        /** A pretraining checkpoint to start from (baid4j's or the authors' .pth). */
        public Builder optFrom(String file) {
            this.from = file;
            return this;
        }

        /** The epoch (0-based) from which the ranking loss is added. */
        public Builder optRankingFrom(int epoch) {
            losses = new Losses(epoch, losses.degradationWeight(), losses.rankingWeight());
            return this;
        }

        public Builder optLossWeights(double degradation, double ranking) {
            losses = new Losses(losses.rankingFrom(), degradation, ranking);
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

        public Builder optSeed(long seed) {
            run = run.withSeed(seed);
            return this;
        }

        /** Validation every {@code validate} epochs, a checkpoint every {@code checkpoint}. */
        public Builder optIntervals(int validate, int checkpoint) {
            run = run.withIntervals(validate, checkpoint);
            return this;
        }

        public PretrainingConfig build() {
            if (root == null || root.isBlank()) {
                throw new IllegalArgumentException("a BAID root must be given");
            }
            return new PretrainingConfig(new Data(root, images, subset, operations, jpeg, valImages, skipMissing, threads),
                    new Model(inputSize, dropout, from), losses, optimiser, run);
        }
    }
}
