package org.baid4j.experiments.training;

import org.baid4j.core.model.HeadActivation;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanVariant;

/**
 * One training run, as written to the run's config.json. Defaults are the reference's (Adam 1e-5,
 * betas 0.5/0.999, weight decay 5e-4, batch 64, 100 epochs, validation and checkpoint every 2
 * epochs). Paths are strings so that the file reads back on another machine.
 *
 * @param root            the BAID root
 * @param variant         full, without-gab, without-sab
 * @param subset          "1.0" for the whole splits, else a fraction or a count (stratified, seeded)
 * @param from            a full SAAN checkpoint to start from (PyTorch .pth or DL4J model), or null
 * @param pretrained      the pretraining network's checkpoint for GAB and SAB's ResNet, or null
 * @param resnet          torchvision's resnet50 state_dict for the same, or null
 * @param vgg             torchvision's vgg19 state_dict for the style encoder, or null
 * @param randomBackbones train without any of the four: explicit, and recorded here
 * @param useCache        read images through the decoded cache (built on first use)
 */
public record TrainingConfig(String root, String variant, int inputSize, double learningRate, double weightDecay,
                             double dropout, String headActivation, int epochs, int batch, long seed, String subset,
                             String from, String pretrained, String resnet, String vgg, boolean randomBackbones,
                             boolean skipMissing, int threads, boolean useCache, int validateEvery,
                             int checkpointEvery) {

    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (validateEvery < 1 || checkpointEvery < 1) {
            throw new IllegalArgumentException("validation and checkpoint intervals must be at least 1 epoch");
        }
        if (from == null && pretrained == null && resnet == null && vgg == null && !randomBackbones) {
            throw new IllegalArgumentException("no backbone weights: give --from, --pretrained, --resnet or --vgg,"
                    + " or --random-backbones to train from random initialisation deliberately");
        }
        saanConfig(variant, inputSize, dropout, headActivation, seed, learningRate, weightDecay);   // validates
    }

    /** The reference's settings for a root, with random backbones (callers set the weights). */
    public static TrainingConfig reference(String root) {
        return new TrainingConfig(root, "full", SaanConfig.REFERENCE_INPUT_SIZE, SaanConfig.REFERENCE_LEARNING_RATE,
                SaanConfig.REFERENCE_WEIGHT_DECAY, SaanConfig.REFERENCE_DROPOUT, "relu", 100, 64, 42, "1.0",
                null, null, null, null, true, false, Runtime.getRuntime().availableProcessors(), false, 2, 2);
    }

    public SaanConfig saanConfig() {
        return saanConfig(variant, inputSize, dropout, headActivation, seed, learningRate, weightDecay);
    }

    private static SaanConfig saanConfig(String variant, int inputSize, double dropout, String activation, long seed,
                                         double lr, double wd) {
        return new SaanConfig(SaanVariant.parse(variant), inputSize, dropout, HeadActivation.parse(activation), seed, lr, wd);
    }
}
