package org.baid4j.training.engine;

import org.baid4j.training.report.ReportListener;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The engine on a task that is not SAAN: the run folder, checkpoints, the best model, reports, exact resume, early stopping. */
class TrainingEngineTest {

    static TrainingEngine engine(RunSettings run, TrainingListener... more) {
        TrainingListener[] all = Arrays.copyOf(more, more.length + 1);
        all[more.length] = new ReportListener("tiny regression");
        return TrainingEngine.standard(run, all);
    }

    @Test
    void aSecondTaskTrainsThroughTheSameEngineAndRunFolder(@TempDir Path dir) throws Exception {
        RunSettings run = new RunSettings(8, 8, 3, 1, 2, 0);
        Path out = dir.resolve("run");
        TrainingResult result;
        try (TinyRegressionTask task = new TinyRegressionTask(run)) {
            result = engine(run).start(task, out);
        }
        List<EpochMetrics> epochs = result.epochs();
        assertEquals(8, epochs.size());
        assertTrue(epochs.get(7).metric("val_mse") < 0.6 * epochs.get(0).metric("val_mse"),
                "it learns: " + epochs.get(0).metric("val_mse") + " -> " + epochs.get(7).metric("val_mse"));
        assertEquals("epoch,train_loss,val_mse,lr,seconds,images_per_s", Files.readAllLines(out.resolve("metrics.csv")).get(0));
        // The best epoch is the one with the lowest validation MSE (minimised), and best.zip holds it.
        EpochMetrics best = epochs.stream().min((a, b) -> Double.compare(a.metric("val_mse"), b.metric("val_mse"))).orElseThrow();
        assertEquals(best.epoch(), result.bestEpoch());
        assertEquals(best.metric("val_mse"), result.best(), 1e-6);
        ComputationGraph bestNet = ModelSerializer.restoreComputationGraph(result.bestModel().toFile(), false);
        try (TinyRegressionTask task = new TinyRegressionTask(run)) {
            assertEquals(best.metric("val_mse"), task.validate(new TinyRegressionTask.Net(bestNet)).get("val_mse"), 1e-6);
        }
        RunDirectory.Checkpoint last = new RunDirectory(out).readCheckpointState();
        assertEquals(7, last.epoch());
        assertEquals(1, Files.list(out.resolve("checkpoints")).count(), "only the last checkpoint is kept");
        assertEquals(64, RunDirectory.JSON.readTree(out.resolve("config.json").toFile()).get("train").asInt());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| epoch | train loss | val_mse |"), report);
        assertTrue(Files.size(out.resolve("plots").resolve("loss.png")) > 1000);
        assertTrue(Files.readString(out.resolve("train.log")).contains("a new tiny regression network"));
    }

    /** Thrown by a listener to stop a run the way a crash would, after the checkpoint of the epoch before. */
    static final class Crash extends RuntimeException {
    }

    /**
     * A run stopped after a checkpoint and resumed ends exactly as an uninterrupted one: parameters
     * and Adam's moments equal bit for bit (the arithmetic is deterministic on one CPU: same
     * batches, same dropout masks from the restored random state), metrics.csv equal but for the
     * time columns.
     */
    @Test
    void aStoppedRunResumesToExactlyTheUninterruptedResult(@TempDir Path dir) throws Exception {
        RunSettings run = new RunSettings(5, 8, 11, 1, 1, 0);
        Path whole = dir.resolve("whole");
        try (TinyRegressionTask task = new TinyRegressionTask(run)) {
            engine(run).start(task, whole);
        }
        Path broken = dir.resolve("broken");
        TrainingListener crashAtEpoch3 = new TrainingListener() {
            @Override
            public void onEpochBegin(TrainingRun<?> r, int epoch, int batches) {
                if (epoch == 3) {
                    throw new Crash();
                }
            }
        };
        try (TinyRegressionTask task = new TinyRegressionTask(run)) {
            assertThrows(Crash.class, () -> engine(run, crashAtEpoch3).start(task, broken));
        }
        assertEquals(2, new RunDirectory(broken).readCheckpointState().epoch());
        TrainingResult resumed;
        try (TinyRegressionTask task = new TinyRegressionTask(run)) {
            resumed = engine(run).resume(task, broken);
        }
        assertTrue(Files.readString(broken.resolve("train.log")).contains("resumed at epoch 3"));

        ComputationGraph a = ModelSerializer.restoreComputationGraph(whole.resolve("checkpoints/epoch-004.zip").toFile(), true);
        ComputationGraph b = ModelSerializer.restoreComputationGraph(broken.resolve("checkpoints/epoch-004.zip").toFile(), true);
        assertEquals(a.params(), b.params(), "parameters, bit for bit");
        assertEquals(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray(), "Adam's state, bit for bit");
        assertEquals(a.getConfiguration().getIterationCount(), b.getConfiguration().getIterationCount());
        assertEquals(withoutTimes(whole), withoutTimes(broken));
        assertEquals(List.of(0, 1, 2, 3, 4), resumed.epochs().stream().map(EpochMetrics::epoch).toList());
    }

    private static List<String> withoutTimes(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.csv")).stream()
                .map(l -> String.join(",", Arrays.asList(l.split(",", -1)).subList(0, l.split(",", -1).length - 2)))
                .toList();
    }

    @Test
    void earlyStoppingEndsARunWhoseObjectiveStopsImprovingAndStaysEnded(@TempDir Path dir) throws Exception {
        RunSettings run = new RunSettings(10, 8, 5, 1, 5, 2);
        double[] scripted = {0.5, 0.4, 0.45, 0.41, 0.3, 0.2};
        Path out = dir.resolve("run");
        TrainingResult result;
        try (TinyRegressionTask task = scripted(run, scripted)) {
            result = engine(run).start(task, out);
        }
        // Best at epoch 1; epochs 2 and 3 bring nothing better: two validations of patience, stop.
        assertEquals(List.of(0, 1, 2, 3), result.epochs().stream().map(EpochMetrics::epoch).toList());
        assertEquals(1, result.bestEpoch());
        assertEquals(3, new RunDirectory(out).readCheckpointState().epoch(), "an early stop gets its checkpoint");
        assertTrue(Files.readString(out.resolve("train.log")).contains("early stop after epoch 3"));
        try (TinyRegressionTask task = scripted(run, scripted)) {
            assertEquals(4, engine(run).resume(task, out).epochs().size(), "resuming a stopped run trains nothing more");
        }
    }

    private static TinyRegressionTask scripted(RunSettings run, double[] values) {
        return new TinyRegressionTask(run) {
            private int calls;

            @Override
            public Map<String, Double> validate(Net model) {
                return Map.of("val_mse", values[calls++]);
            }
        };
    }
}
