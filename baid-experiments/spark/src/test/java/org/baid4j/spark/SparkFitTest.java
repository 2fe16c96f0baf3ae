package org.baid4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.EpochMetrics;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.saan.TrainingConfig;
import org.baid4j.training.testkit.TinyRuns;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** SAAN trained through the engine by DL4J's Spark parameter averaging: in local[1], and on a real standalone cluster. */
@Tag("process")
class SparkFitTest {

    static ComputationGraph last(Path run) throws IOException {
        return SaanModel.load(run.resolve(new RunDirectory(run).readCheckpointState().model()).toFile()).graph();
    }

    /** max |a - b| / (1 + |b|). */
    static double relativeDifference(INDArray a, INDArray b) {
        return a.sub(b).divi(Transforms.abs(b).addi(1)).amaxNumber().doubleValue();
    }

    /**
     * One worker averaging every round: each round the worker gets the driver's parameters and
     * Adam moments, fits one batch and sends them back; that is the local run.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void oneWorkerInLocalModeIsTheLocalRun(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        TrainingConfig config = TinyRuns.config(root, 2, 4, 5);
        TrainingResult local = TrainingRuns.train(config, dir.resolve("local"));
        TrainingResult spark;
        try (SparkFit fit = new SparkFit(SparkFit.context("local[1]"), 1, 1, dir.resolve("exchange"))) {
            spark = TrainingRuns.train(config, dir.resolve("spark"), fit);
        }
        ComputationGraph a = last(dir.resolve("local"));
        ComputationGraph b = last(dir.resolve("spark"));
        double params = relativeDifference(b.params(), a.params());
        double moments = relativeDifference(b.getUpdater().getStateViewArray(), a.getUpdater().getStateViewArray());
        System.out.printf("Spark local[1], 1 worker, against the local run after 2 epochs: parameters within %.3g,"
                + " Adam's moments within %.3g (relative)%n", params, moments);
        assertEquals(0.0, params, 1e-6);
        assertEquals(0.0, moments, 1e-6);
        for (int e = 0; e < 2; e++) {
            assertEquals(local.epochs().get(e).trainLoss(), spark.epochs().get(e).trainLoss(), 1e-6, "train loss, epoch " + e);
            assertEquals(local.epochs().get(e).metric("val_srcc"), spark.epochs().get(e).metric("val_srcc"), 1e-6);
        }
        try (var left = Files.list(dir.resolve("exchange"))) {
            assertEquals(0, left.count(), "each round's batch files are removed, and the run's folder at the end");
        }
        assertTrue(Files.readString(dir.resolve("spark").resolve("train.log")).contains("fit: Spark parameter averaging on local[1]"));
    }

    /**
     * A standalone master and two workers on 127.0.0.1, separate JVMs (the one CI starts, else one
     * of the test's own): SAAN at 64 px for three epochs, one round each, the smallest run in
     * which a falling loss shows the workers learn; the model saves, reloads with ModelSerializer
     * and scores the same. (That averaging equals the local run is the local[1] test's claim.)
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void twoWorkersOnALoopbackClusterTrainSaan(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        // Batches of five: each epoch is one round, each worker fitting one batch.
        TrainingConfig config = TinyRuns.config(root, 3, 5, 3);
        config = config.withOptimiser(config.optimiser().withLearningRate(3e-4));
        TrainingResult cluster;
        long t0 = System.nanoTime();
        try (LoopbackCluster spark = LoopbackCluster.startOrJoin(dir.resolve("cluster"), 2, 3)) {
            JavaSparkContext context = spark.context(3);
            String app = context.sc().applicationId();
            try (SparkFit fit = new SparkFit(context, 2, 1, dir.resolve("exchange"))) {
                cluster = TrainingRuns.train(config, dir.resolve("run"), fit);
            }
            assertEquals(2, spark.executorsLaunched(app), "one executor on each worker");
        }
        System.out.printf("cluster %s, 2 workers: %.1f s; epochs at %s images/s%n", System.getenv().getOrDefault(
                "BAID_SPARK_MASTER", "of the test's own"), (System.nanoTime() - t0) / 1e9,
                cluster.epochs().stream().map(m -> String.format("%.2f", m.imagesPerSecond())).toList());
        List<EpochMetrics> c = cluster.epochs();
        assertEquals(3, c.size());
        assertTrue(c.stream().allMatch(m -> Double.isFinite(m.trainLoss()) && m.validated()), c.toString());
        assertTrue(c.get(2).trainLoss() < c.get(0).trainLoss(), "the cluster's loss falls: " + c);

        File saved = dir.resolve("saan.zip").toFile();
        ComputationGraph trained = last(dir.resolve("run"));
        ModelSerializer.writeModel(trained, saved, true);
        ComputationGraph reloaded = ModelSerializer.restoreComputationGraph(saved, true);
        INDArray images = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 3, 64, 64);
        assertArrayEquals(trained.outputSingle(images).toDoubleVector(), reloaded.outputSingle(images).toDoubleVector(), 0.0);
    }
}
