package org.baid4j.training.saan;

import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.pipeline.BaidDataSetIterator;
import org.baid4j.training.engine.EpochBatches;
import org.baid4j.training.engine.Objective;
import org.baid4j.training.engine.RunSettings;
import org.baid4j.training.engine.TrainingTask;
import org.baid4j.weights.CheckpointLayout;
import org.baid4j.weights.ImportReport;
import org.baid4j.weights.SaanModelFiles;
import org.baid4j.weights.WeightsImporter;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SAAN trained as the reference trains it (run by {@link org.baid4j.training.TrainingRuns#train}): MSE on score / 10, PyTorch's Adam with coupled L2, the
 * step schedule, training-mode BN everywhere (the frozen branches' statistics moving), a seeded
 * shuffle and flip per epoch; validated by MSE, SRCC and PLCC on the val split, the best model by
 * SRCC. The splits are validated when the task is made.
 */
public final class SaanTraining implements TrainingTask<SaanModel> {
    private static final Logger LOG = LoggerFactory.getLogger(SaanTraining.class);
    static final List<String> METRICS = List.of("val_loss", "val_srcc", "val_plcc");

    private final TrainingConfig config;
    private final BaidSplits splits;
    private final boolean ownsSplits;
    private final ISchedule learningRates;

    /** Validates the configuration's splits. */
    public SaanTraining(TrainingConfig config) throws IOException {
        this(config, BaidSplits.open(config), true);
    }

    /** With splits validated once for several runs (an ablation, a sweep); the caller closes them. */
    public SaanTraining(TrainingConfig config, BaidSplits splits) {
        this(config, splits, false);
    }

    private SaanTraining(TrainingConfig config, BaidSplits splits, boolean ownsSplits) {
        this.config = config;
        this.splits = splits;
        this.ownsSplits = ownsSplits;
        this.learningRates = config.optimiser().learningRates(config.run().epochs());
    }

    @Override
    public RunSettings run() {
        return config.run();
    }

    @Override
    public TrainingConfig config() {
        return config;
    }

    /** A SAAN checkpoint to start from, or a new network with its backbones imported. */
    @Override
    public SaanModel newModel(RunLog log) throws IOException {
        TrainingConfig.Weights w = config.model().weights();
        SaanConfig network = config.saanConfig();
        SaanModel model;
        if (w.from() != null) {
            SaanModelFiles.Opened opened = SaanModelFiles.open(Path.of(w.from()), network.inputSize());
            model = opened.model();
            if (model.variant() != network.variant()) {
                throw new IllegalArgumentException(w.from() + " holds a " + model.variant().label()
                        + " network, but --variant " + network.variant().label() + " was asked for");
            }
            if (opened.report() != null) {
                log.log(opened.report().summary());
            }
        } else {
            model = SaanModel.create(network, config.optimiser(), config.run().epochs());
        }
        importInto(model, w.resnet(), CheckpointLayout.TORCHVISION_RESNET50, log);
        importInto(model, w.pretrained(), CheckpointLayout.PRETRAIN, log);
        importInto(model, w.vgg(), CheckpointLayout.TORCHVISION_VGG19, log);
        return model;
    }

    private static void importInto(SaanModel model, String file, CheckpointLayout layout, RunLog log) throws IOException {
        if (file != null) {
            ImportReport report = WeightsImporter.load(model.graph(), Path.of(file), layout);
            LOG.info("imported {}", report.summary().trim());
            log.log(report.summary());
        }
    }

    @Override
    public SaanModel load(Path checkpoint) throws IOException {
        return SaanModel.load(checkpoint.toFile());
    }

    @Override
    public EpochBatches trainingBatches() {
        TrainingConfig.Data d = config.data();
        BaidDataSetIterator it = new BaidDataSetIterator(splits.train(), splits.trainImages(), config.run().batch(), true,
                config.run().seed(), d.threads(), 2 * d.threads() + 2);
        return new EpochBatches() {
            @Override
            public void startEpoch(int epoch) {
                it.startEpoch(epoch);
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public MultiDataSet next() {
                DataSet batch = it.next();
                if (it.skipped() > 0) {
                    throw new IllegalStateException(it.failures().get(0) + ", during training: the split was checked when"
                            + " the run started, so the images changed since; restore them and resume the run");
                }
                return new org.nd4j.linalg.dataset.MultiDataSet(batch.getFeatures(), batch.getLabels());
            }

            @Override
            public int batchesPerEpoch() {
                return it.batchesPerEpoch();
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }

    @Override
    public double learningRate(int epoch) {
        return learningRates.valueAt(0, epoch);
    }

    @Override
    public List<String> validationMetrics() {
        return METRICS;
    }

    /** MSE on score / 10 (the training loss), SRCC and PLCC of the predictions on the val split. */
    @Override
    public Map<String, Double> validate(SaanModel model) {
        double[] predicted = Predictions.of(model, splits.val(), splits.valImages(), config.run().batch(),
                config.data().threads(), () -> { });
        double[] truth = splits.val().stream().mapToDouble(BaidLabel::score).toArray();
        double loss = 0;
        for (int i = 0; i < truth.length; i++) {
            double d = (predicted[i] - truth[i]) / 10;
            loss += d * d;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("val_loss", loss / truth.length);
        m.put("val_srcc", AestheticsMetrics.srcc(truth, predicted));
        m.put("val_plcc", AestheticsMetrics.plcc(truth, predicted));
        return m;
    }

    @Override
    public Objective objective() {
        return Objective.maximise("val_srcc");
    }

    @Override
    public void close() throws IOException {
        if (ownsSplits) {
            splits.close();
        }
    }
}
