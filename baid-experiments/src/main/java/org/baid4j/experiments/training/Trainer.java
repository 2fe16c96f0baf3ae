package org.baid4j.experiments.training;

import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.core.model.ReferenceLearningRate;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.pipeline.BaidDataSetIterator;
import org.baid4j.data.pipeline.DecodedCache;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.data.pipeline.ResizedImages;
import org.baid4j.weights.CheckpointLayout;
import org.baid4j.weights.ImportReport;
import org.baid4j.weights.SaanModelFiles;
import org.baid4j.weights.WeightsImporter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains SAAN as the reference does (MSE on score / 10, Adam with coupled L2, the step schedule,
 * training-mode BN everywhere, the frozen branches' statistics moving), as a component: a
 * configuration in, a {@link TrainingResult} out; mains, Arbiter trials and the demo call it.
 * Everything is validated before the first step. The run folder ({@link RunDirectory}) is written
 * as it goes; {@link #resume} continues from the last checkpoint, optimiser state and epoch included.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Told of progress, for progress bars and UIs. */
    public interface Listener {
        /** Before the first step: where DL4J listeners (the training UI's StatsListener) go. */
        default void attach(ComputationGraph graph) {
        }

        default void epochStarted(int epoch, int batches) {
        }

        default void batchDone(int epoch, double loss, int images) {
        }

        default void epochDone(EpochMetrics metrics) {
        }
    }

    private Trainer() {
    }

    /** A new run in {@code runDir} (which must not hold one). */
    public static TrainingResult train(TrainingConfig config, Path runDir, Listener listener) throws IOException {
        RunDirectory run = new RunDirectory(runDir);
        if (Files.exists(run.config())) {
            throw new IOException(runDir + " already holds a run: use --resume " + runDir + ", or another --out");
        }
        Data data = Data.open(config);
        SaanModel model = initialModel(config, run);
        run.writeConfig(config);
        run.log("new run: " + config);
        return loop(config, run, model, data, 0, Double.NEGATIVE_INFINITY, -1, listener);
    }

    /** Continues the run in {@code runDir} from its last checkpoint. */
    public static TrainingResult resume(Path runDir, Listener listener) throws IOException {
        RunDirectory run = new RunDirectory(runDir);
        TrainingConfig config = run.readConfig();
        RunDirectory.Checkpoint last = run.readCheckpointState();
        Data data = Data.open(config);
        SaanModel model;
        int start;
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = -1;
        if (last == null) {
            LOG.info("{}: no checkpoint yet, starting over", runDir);
            model = initialModel(config, run);
            start = 0;
            run.truncateMetrics(-1);
        } else {
            model = SaanModel.load(runDir.resolve(last.model()).toFile());
            start = last.epoch() + 1;
            best = last.bestSrcc();
            bestEpoch = last.bestEpoch();
            run.truncateMetrics(last.epoch());
            LOG.info("{}: resuming after epoch {} (checkpoint {})", runDir, last.epoch(), last.model());
        }
        run.log("resumed at epoch " + start);
        return loop(config, run, model, data, start, best, bestEpoch, listener);
    }

    private static TrainingResult loop(TrainingConfig config, RunDirectory run, SaanModel model, Data data, int start,
                                       double bestSrcc, int bestEpoch, Listener listener) throws IOException {
        ComputationGraph graph = model.graph();
        listener.attach(graph);
        ReferenceLearningRate schedule = new ReferenceLearningRate(config.learningRate());
        try (data; BaidDataSetIterator train = new BaidDataSetIterator(data.train, data.trainImages, config.batch(), true,
                config.seed(), config.threads(), 2 * config.threads() + 2)) {
            for (int epoch = start; epoch < config.epochs(); epoch++) {
                graph.getConfiguration().setEpochCount(epoch);   // the schedule reads it
                train.startEpoch(epoch);
                listener.epochStarted(epoch, train.batchesPerEpoch());
                long t0 = System.nanoTime();
                double lossSum = 0;
                long images = 0;
                while (train.hasNext()) {
                    DataSet batch = train.next();
                    // DL4J's score adds the L2 penalty of the parameters before the step; the reference reports the MSE.
                    double penalty = graph.calcRegularizationScore(true);
                    graph.fit(batch);
                    int n = batch.numExamples();
                    double loss = graph.score() - penalty;
                    lossSum += loss * n;
                    images += n;
                    listener.batchDone(epoch, loss, n);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                boolean last = epoch == config.epochs() - 1;
                double valLoss = Double.NaN;
                double srcc = Double.NaN;
                double plcc = Double.NaN;
                if ((epoch + 1) % config.validateEvery() == 0 || last) {
                    double[] predicted = Predictions.of(model, data.val, data.valImages, config.batch(), config.threads(), () -> { });
                    double[] truth = data.val.stream().mapToDouble(BaidLabel::score).toArray();
                    valLoss = 0;
                    for (int i = 0; i < truth.length; i++) {
                        double d = (predicted[i] - truth[i]) / 10;
                        valLoss += d * d;
                    }
                    valLoss /= truth.length;
                    srcc = AestheticsMetrics.srcc(truth, predicted);
                    plcc = AestheticsMetrics.plcc(truth, predicted);
                }
                EpochMetrics m = new EpochMetrics(epoch, lossSum / images, valLoss, srcc, plcc, schedule.during(epoch),
                        seconds, images / seconds);
                run.appendMetrics(m);
                run.log("epoch " + epoch + ": " + m.csv());
                listener.epochDone(m);
                if (!Double.isNaN(srcc) && srcc > bestSrcc) {
                    bestSrcc = srcc;
                    bestEpoch = epoch;
                    Path tmp = run.best().resolveSibling("best.zip.tmp");
                    model.save(tmp.toFile(), false);   // for inference: no optimiser state
                    RunDirectory.moveAtomically(tmp, run.best());
                }
                graph.getConfiguration().setEpochCount(epoch + 1);
                if ((epoch + 1) % config.checkpointEvery() == 0 || last) {
                    Path file = run.checkpointModel(epoch);
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    Files.createDirectories(file.getParent());
                    model.save(tmp.toFile());
                    RunDirectory.moveAtomically(tmp, file);
                    RunDirectory.Checkpoint previous = run.readCheckpointState();
                    run.writeCheckpointState(new RunDirectory.Checkpoint(epoch, run.path().relativize(file).toString(),
                            bestSrcc, bestEpoch));
                    if (previous != null && !previous.model().equals(run.path().relativize(file).toString())) {
                        Files.deleteIfExists(run.path().resolve(previous.model()));   // keep the last one only
                    }
                }
            }
        }
        List<EpochMetrics> epochs = run.readMetrics();
        org.baid4j.experiments.report.RunReport.write(run.path(), "Training run " + run.path().getFileName(), epochs, null);
        return new TrainingResult(run.path(), epochs, bestSrcc, bestEpoch);
    }

    /** The network to start from: a SAAN checkpoint, or a new one with its backbones imported. */
    static SaanModel initialModel(TrainingConfig config, RunDirectory run) throws IOException {
        SaanModel model;
        if (config.from() != null) {
            SaanModelFiles.Opened opened = SaanModelFiles.open(Path.of(config.from()), config.inputSize());
            model = opened.model();
            if (model.variant() != config.saanConfig().variant()) {
                throw new IllegalArgumentException(config.from() + " holds a " + model.variant().label()
                        + " network, but --variant " + config.variant() + " was asked for");
            }
            if (opened.report() != null) {
                run.log(opened.report().summary());
            }
        } else {
            model = SaanModel.create(config.saanConfig());
        }
        importInto(model, config.resnet(), CheckpointLayout.TORCHVISION_RESNET50, run);
        importInto(model, config.pretrained(), CheckpointLayout.PRETRAIN, run);
        importInto(model, config.vgg(), CheckpointLayout.TORCHVISION_VGG19, run);
        return model;
    }

    private static void importInto(SaanModel model, String file, CheckpointLayout layout, RunDirectory run)
            throws IOException {
        if (file != null) {
            ImportReport report = WeightsImporter.load(model.graph(), Path.of(file), layout);
            LOG.info("imported {}", report.summary().trim());
            run.log(report.summary());
        }
    }

    /** The validated splits and where their images come from. */
    private static final class Data implements Closeable {
        final List<BaidLabel> train;
        final List<BaidLabel> val;
        final ResizedImages trainImages;
        final ResizedImages valImages;
        private final List<Closeable> resources = new ArrayList<>();

        private Data(List<BaidLabel> train, List<BaidLabel> val, ResizedImages trainImages, ResizedImages valImages) {
            this.train = train;
            this.val = val;
            this.trainImages = trainImages;
            this.valImages = valImages;
        }

        static Data open(TrainingConfig config) throws IOException {
            BaidRoot root = BaidRoot.open(Path.of(config.root()));
            SubsetSpec subset = SubsetSpec.parse(config.subset());
            BaidRoot.ValidatedSplit train = root.validate(BaidSplit.TRAIN, subset, config.seed(), config.skipMissing());
            BaidRoot.ValidatedSplit val = root.validate(BaidSplit.VAL, subset, config.seed(), config.skipMissing());
            for (BaidRoot.ValidatedSplit s : List.of(train, val)) {
                if (!s.leftOut().isEmpty()) {
                    LOG.warn("{}: {} missing or broken images left out (--skip-missing)", s.split().label(), s.leftOut().size());
                }
                if (s.usable().size() < 2) {
                    throw new IllegalArgumentException(root.path() + ": the " + s.split().label()
                            + " split has fewer than 2 usable images");
                }
            }
            if (!config.useCache()) {
                FileImages files = new FileImages(root.imagesDir(), config.inputSize());
                return new Data(train.usable(), val.usable(), files, files);
            }
            DecodedCache trainCache = cache(root, BaidSplit.TRAIN, train.usable(), config);
            DecodedCache valCache = cache(root, BaidSplit.VAL, val.usable(), config);
            Data d = new Data(train.usable(), val.usable(), trainCache, valCache);
            d.resources.add(trainCache);
            d.resources.add(valCache);
            return d;
        }

        private static DecodedCache cache(BaidRoot root, BaidSplit split, List<BaidLabel> labels, TrainingConfig config)
                throws IOException {
            Path file = root.path().resolve("cache").resolve(split.label() + "-" + config.inputSize() + ".bin");
            return DecodedCache.openOrBuild(file, root.imagesDir(), labels.stream().map(BaidLabel::image).toList(),
                    config.inputSize(), config.threads(), () -> { });
        }

        @Override
        public void close() throws IOException {
            for (Closeable c : resources) {
                c.close();
            }
        }
    }
}
