package org.baid4j.training.pretraining;

import org.baid4j.core.io.FolderKind;

import org.baid4j.core.model.GabPretrainingNetwork;
import org.baid4j.core.model.ModelFiles;
import org.baid4j.data.baid.BaidDataException;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.pretraining.PretrainingOperations;
import org.baid4j.data.pretraining.PretrainingRenderer;
import org.baid4j.data.pretraining.PretrainingSet;
import org.baid4j.training.engine.EpochBatches;
import org.baid4j.training.engine.Objective;
import org.baid4j.training.engine.RunSettings;
import org.baid4j.training.engine.StepResult;
import org.baid4j.training.engine.TrainingTask;
import org.baid4j.weights.CheckpointLayout;
import org.baid4j.weights.ImportReport;
import org.baid4j.weights.WeightsImporter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * GAB's self-supervised pretraining as the reference runs it ({@code pretraining.py}): the
 * degradation loss, plus the ranking loss from the ranking epoch on, over the pretraining set of
 * the chosen images, each step a {@link PretrainingStep}. Validated on val-split images' samples
 * in inference mode: degradation loss, ranking loss and accuracy (the best model by accuracy).
 * The data (images, operations) is validated when the task is made.
 */
public final class GabPretraining implements TrainingTask<GabPretrainingNetwork> {
    private static final Logger LOG = LoggerFactory.getLogger(GabPretraining.class);
    static final List<String> TRAINING = List.of("train_degradation_loss", "train_ranking_loss", "train_accuracy");
    static final List<String> VALIDATION = List.of("val_loss", "val_ranking_loss", "val_accuracy");

    private final PretrainingConfig config;
    private final BaidRoot root;
    private final PretrainingSet set;
    private final PretrainingSet validation;
    private final PretrainingStep step;
    private final ISchedule learningRates;

    public GabPretraining(PretrainingConfig config) throws IOException {
        PretrainingConfig.Data d = config.data();
        this.root = BaidRoot.open(Path.of(d.root()));
        SubsetSpec subset = SubsetSpec.parse(d.subset());
        long seed = config.run().seed();
        List<String> trainImages = new ArrayList<>();
        List<BaidSplit> splits = PretrainingConfig.ALL_IMAGES.equals(d.images())
                ? List.of(BaidSplit.TRAIN, BaidSplit.VAL, BaidSplit.TEST) : List.of(BaidSplit.TRAIN);
        for (BaidSplit split : splits) {
            trainImages.addAll(usable(split, subset, seed, d.skipMissing()));
        }
        trainImages = new ArrayList<>(new LinkedHashSet<>(trainImages));   // a root may list an image in two splits
        List<String> valImages = usable(BaidSplit.VAL, subset, seed, d.skipMissing());
        valImages = valImages.subList(0, Math.min(valImages.size(), d.valImages()));
        LinkedHashSet<String> everything = new LinkedHashSet<>(trainImages);
        everything.addAll(valImages);
        String source = PretrainingConfig.AUTO.equals(d.operations())
                ? (PretrainingOperations.baid().covers(everything) ? PretrainingConfig.BAID : PretrainingConfig.DRAWN)
                : d.operations();
        PretrainingOperations operations = operations(source, List.copyOf(everything), seed);
        this.config = config.withData(d.withOperations(source));
        this.set = PretrainingSet.of(trainImages, operations, seed);
        this.validation = PretrainingSet.of(valImages, operations, seed + 1);
        this.step = new PretrainingStep(config.losses().degradationWeight(), config.losses().rankingWeight());
        this.learningRates = config.optimiser().learningRates(config.run().epochs());
        LOG.info("pretraining set: {} samples of {} images ({}), validation: {} samples of {} val images; operations: {}",
                set.size(), set.images(), d.images(), validation.size(), validation.images(), operations.source());
        if (set.size() < config.run().batch()) {
            throw new IllegalArgumentException(set.size() + " pretraining samples make no full batch of " + config.run().batch());
        }
    }

    private List<String> usable(BaidSplit split, SubsetSpec subset, long seed, boolean skipMissing) throws BaidDataException {
        BaidRoot.ValidatedSplit v = root.validate(split, subset, seed, skipMissing);
        if (!v.leftOut().isEmpty()) {
            LOG.warn("{}: {} missing or broken images left out (--skip-missing)", split.label(), v.leftOut().size());
        }
        return v.usable().stream().map(BaidLabel::image).toList();
    }

    /**
     * The operations of {@code spec} (auto resolved); an image they lack is an error when the sets
     * are made, and a file's row naming an image the root lacks is one here.
     */
    private PretrainingOperations operations(String spec, List<String> images, long seed) throws IOException {
        return switch (spec) {
            case PretrainingConfig.BAID -> PretrainingOperations.baid();
            case PretrainingConfig.DRAWN -> PretrainingOperations.drawn(images, seed);
            default -> {
                Path file = Path.of(spec);
                PretrainingOperations own = PretrainingOperations.read(file);
                for (String image : own.images()) {
                    if (!Files.isRegularFile(root.image(image))) {
                        throw new BaidDataException(file + ": names " + image + ", which is not in " + root.imagesDir());
                    }
                }
                yield own;
            }
        };
    }

    @Override
    public RunSettings run() {
        return config.run();
    }

    /** The configuration with the operations' source resolved (auto becomes baid or drawn). */
    @Override
    public PretrainingConfig config() {
        return config;
    }

    public PretrainingSet set() {
        return set;
    }

    @Override
    public GabPretrainingNetwork newModel(RunLog log) throws IOException {
        PretrainingConfig.Model m = config.model();
        GabPretrainingNetwork network = GabPretrainingNetwork.create(new GabPretrainingNetwork.Config(m.inputSize(),
                m.dropout(), config.run().seed()), config.optimiser(), config.run().epochs());
        if (m.from() != null) {
            Path from = Path.of(m.from());
            if (ModelFiles.cardIfModelFile(from).isPresent()) {
                GabPretrainingNetwork start = GabPretrainingNetwork.load(from.toFile());
                network.graph().setParams(start.graph().params());
                log.log("started from " + from + " (baid4j pretraining network)");
            } else {
                ImportReport report = WeightsImporter.load(network.graph(), from, CheckpointLayout.PRETRAIN_NETWORK);
                log.log(report.summary());
            }
        }
        return network;
    }

    @Override
    public GabPretrainingNetwork load(Path checkpoint) throws IOException {
        return GabPretrainingNetwork.load(checkpoint.toFile());
    }

    @Override
    public EpochBatches trainingBatches() {
        PretrainingConfig.Data d = config.data();
        PretrainingRenderer renderer = new PretrainingRenderer(root.imagesDir(), config.model().inputSize(), d.jpeg(),
                config.run().seed());
        return new PretrainingBatches(set.samples(), renderer, config.run().batch(), config.run().seed(),
                config.losses().rankingFrom(), d.threads());
    }

    @Override
    public FolderKind folderKind() {
        return FolderKind.PRETRAINING_RUN;
    }

    @Override
    public boolean stepsItself() {
        return true;
    }

    @Override
    public StepResult step(GabPretrainingNetwork model, MultiDataSet batch, int epoch) {
        int[] ops = batch.getLabels(0).reshape(-1).toIntVector();
        PretrainingStep.Outcome o = step.fit(model.graph(), batch.getFeatures(), ops);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_degradation_loss", o.degradationLoss());
        m.put("train_ranking_loss", o.rankingLoss());
        m.put("train_accuracy", (double) o.correct() / o.examples());
        return new StepResult(o.loss(), m);
    }

    @Override
    public List<String> trainingMetrics() {
        return TRAINING;
    }

    @Override
    public double learningRate(int epoch) {
        return learningRates.valueAt(0, epoch);
    }

    @Override
    public List<String> validationMetrics() {
        return VALIDATION;
    }

    /** On the validation samples in inference mode: the degradation loss, the ranking loss and the accuracy. */
    @Override
    public Map<String, Double> validate(GabPretrainingNetwork model) {
        OperationAccuracy measured = operationAccuracy(model);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("val_loss", measured.degradationLoss());
        m.put("val_ranking_loss", measured.rankingLoss());
        m.put("val_accuracy", measured.accuracy());
        return m;
    }

    private PretrainingRenderer validationRenderer() {
        return new PretrainingRenderer(root.imagesDir(), config.model().inputSize(), config.data().jpeg(),
                config.run().seed() + 1);
    }

    /** The per-operation accuracy of {@code model} on the validation samples. */
    public OperationAccuracy operationAccuracy(GabPretrainingNetwork model) {
        return OperationAccuracy.measure(model, validationRenderer(), validation.samples(), config.run().batch(),
                config.data().threads());
    }

    @Override
    public Objective objective() {
        return Objective.maximise("val_accuracy");
    }

    @Override
    public void close() {
    }
}
