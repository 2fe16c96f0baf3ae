package org.baid4j.training.engine;

import org.baid4j.core.layers.FrozenBatchNormalizationLayer;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.training.TrainingRuns;
import org.baid4j.training.saan.SaanTraining;
import org.baid4j.training.saan.TrainingConfig;
import org.baid4j.training.testkit.TinyRuns;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** SAAN trained by DL4J's ParallelWrapper: exactly parameter averaging, through the engine, the frozen GAB's statistics kept. */
@Tag("training")
class ParallelWrapperFitTest {

    static ComputationGraph trained(Path run) throws IOException {
        RunDirectory dir = new RunDirectory(run);
        return SaanModel.load(run.resolve(dir.readCheckpointState().model()).toFile()).graph();
    }

    /** The running statistics of every frozen BatchNorm (GAB's), by layer and parameter. */
    static Map<String, INDArray> frozenStatistics(ComputationGraph graph) {
        Map<String, INDArray> all = new LinkedHashMap<>();
        for (GraphVertex v : graph.getVertices()) {
            if (v.hasLayer() && v.getLayer() instanceof FrozenBatchNormalizationLayer) {
                v.getLayer().paramTable().forEach((name, value) -> all.put(v.getVertexName() + "/" + name, value.dup()));
            }
        }
        return all;
    }

    /** The mean as ND4J's native averaging rounds it: a/2 + b/2 (Adam's first steps magnify a last bit). */
    static INDArray mean(INDArray a, INDArray b) {
        return a.div(2).addi(b.div(2));
    }

    /** max |a - b| / (1 + |b|): BatchNorm's running variances are in the hundreds, the weights below one. */
    static double relativeDifference(INDArray a, INDArray b) {
        return a.sub(b).divi(Transforms.abs(b).addi(1)).amaxNumber().doubleValue();
    }

    static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    /**
     * DL4J's parameter averaging: each round, two copies of the network fit one batch each from
     * the same parameters and Adam moments, then both take the mean of the two (the BatchNorm
     * running statistics, parameters in DL4J, included); a round of one batch is worker 0 alone.
     * Emulated here with clones over one epoch, two rounds of two batches and one of one.
     */
    @Test
    void twoWorkersAreTwoCopiesAveragedEveryRound(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        TrainingConfig config = TinyRuns.config(root, 1, 2, 5);
        List<MultiDataSet> batches = new ArrayList<>();
        ComputationGraph start;
        try (SaanTraining task = new SaanTraining(config); EpochBatches epoch = task.trainingBatches()) {
            start = task.newModel(line -> { }).graph();
            epoch.startEpoch(0);
            epoch.forEachRemaining(batches::add);
        }
        assertEquals(5, batches.size(), "ten images in batches of two");
        ComputationGraph expected = start.clone();
        for (int i = 0; i < batches.size(); i += 2) {
            if (i + 1 == batches.size()) {
                expected.fit(batches.get(i));   // a round of one batch: worker 0 alone, nothing to average
                continue;
            }
            ComputationGraph second = expected.clone();
            // M2.1's clone drops the iteration count, which Adam's bias correction reads.
            second.getConfiguration().setIterationCount(expected.getConfiguration().getIterationCount());
            second.getConfiguration().setEpochCount(expected.getConfiguration().getEpochCount());
            expected.fit(batches.get(i));
            second.fit(batches.get(i + 1));
            INDArray params = mean(expected.params(), second.params());
            INDArray moments = mean(expected.getUpdater().getStateViewArray(), second.getUpdater().getStateViewArray());
            expected.setParams(params);
            expected.getUpdater().setStateViewArray(moments);
        }
        ComputationGraph actual = start.clone();
        List<Double> losses = new ArrayList<>();
        try (ParallelWrapperFit fit = new ParallelWrapperFit(2, 1)) {
            fit.fitEpoch(actual, batches.iterator(), null, (step, n) -> losses.add(step.loss()));
        }
        double difference = relativeDifference(expected.params(), actual.params());
        String worst = actual.paramTable().keySet().stream().max(java.util.Comparator.comparingDouble(
                k -> relativeDifference(expected.getParam(k), actual.getParam(k)))).orElseThrow();
        System.out.printf("ParallelWrapper, 2 workers, against two averaged copies: parameters within %.3g relative (%s)%n",
                difference, worst);
        assertEquals(0.0, difference, 1e-6, "parameters after one epoch, worst " + worst);
        assertEquals(0.0, relativeDifference(expected.getUpdater().getStateViewArray(), actual.getUpdater().getStateViewArray()),
                1e-6, "Adam's moments");
        assertEquals(batches.size(), losses.size(), "one loss per batch: " + losses);
        assertTrue(losses.stream().allMatch(Double::isFinite), losses.toString());
    }

    @Test
    void oneWorkerIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ParallelWrapperFit(1, 1));
        assertTrue(e.getMessage().contains("at least 2 workers"), e.getMessage());
    }

    /** DL4J's ParallelWrapper never averages an epoch shorter than workers x frequency: refused before it starts. */
    @Test
    void anEpochTooShortToAverageIsRefused() {
        ParallelWrapperFit fit = new ParallelWrapperFit(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit.checkEpoch(5));
        assertEquals("an epoch has 5 batches, fewer than --workers 2 x --averaging-frequency 3 = 6: the replicas would"
                + " never average; give fewer workers, a lower frequency or a smaller --batch", e.getMessage());
        fit.checkEpoch(6);
    }

    @Test
    void twoWorkersTrainAndKeepTheFrozenBranchsStatistics(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        TrainingConfig config = TinyRuns.config(root, 2, 2, 7);
        Map<String, INDArray> before;
        try (SaanTraining task = new SaanTraining(config)) {
            before = frozenStatistics(task.newModel(line -> { }).graph());
        }
        TrainingResult result;
        try (ParallelWrapperFit fit = new ParallelWrapperFit(2, 1)) {
            result = TrainingRuns.train(config, dir.resolve("run"), fit);
        }
        List<EpochMetrics> epochs = result.epochs();
        assertEquals(2, epochs.size());
        assertTrue(epochs.stream().allMatch(m -> Double.isFinite(m.trainLoss()) && m.validated()), epochs.toString());
        Map<String, INDArray> after = frozenStatistics(trained(dir.resolve("run")));
        assertEquals(before.keySet(), after.keySet());
        assertTrue(Files.readString(dir.resolve("run").resolve("train.log")).contains("fit: ParallelWrapper, 2 workers"));
        assertFalse(before.isEmpty());
        int moved = 0;
        for (String name : before.keySet()) {
            double change = maxDifference(before.get(name), after.get(name));
            assertTrue(Double.isFinite(change), name);
            boolean statistic = name.endsWith("/mean") || name.endsWith("/var");
            if (statistic) {
                moved += change > 0 ? 1 : 0;
            } else {
                assertEquals(0.0, change, 0.0, name + ": a frozen parameter moved");
            }
        }
        assertEquals(before.keySet().stream().filter(n -> n.endsWith("/mean") || n.endsWith("/var")).count(), moved,
                "every running statistic of the frozen branch moved, through the replicas and their averaging");
    }
}
