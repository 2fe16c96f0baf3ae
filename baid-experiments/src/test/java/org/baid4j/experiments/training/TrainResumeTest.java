package org.baid4j.experiments.training;

import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.experiments.Baid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A training run killed with SIGKILL resumes from its last checkpoint and finishes, every epoch once. */
public class TrainResumeTest {

    public static Path tinyRoot(Path dir) throws Exception {
        TinyBaid.create(dir);   // ten example images, 1.png .. 10.jpg
        Path dataset = dir.resolve("dataset");
        Files.copy(dataset.resolve("test_set.csv"), dataset.resolve("train_set.csv"));
        Files.copy(dataset.resolve("test_set.csv"), dataset.resolve("val_set.csv"));
        return dir;
    }

    @Test
    void aKilledRunResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
        Path root = tinyRoot(dir.resolve("baid"));
        Path run = dir.resolve("run");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), Baid.class.getName(),
                "train", "--root", root.toString(), "--out", run.toString(), "--input-size", "64", "--epochs", "3",
                "--batch", "5", "--random-backbones", "--checkpoint-every", "1", "--validate-every", "1", "--threads", "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        RunDirectory runDir = new RunDirectory(run);
        long deadline = System.currentTimeMillis() + 240_000;
        while (!Files.exists(runDir.checkpointState()) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed:\n" + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly();   // SIGKILL
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        RunDirectory.Checkpoint killedAt = runDir.readCheckpointState();
        assertNotNull(killedAt);
        assertTrue(killedAt.epoch() < 2, "killed before the end: " + killedAt);
        SaanModel.load(run.resolve(killedAt.model()).toFile());   // the checkpoint is whole

        TrainingResult result = Trainer.resume(run, new Trainer.Listener() { });
        List<Integer> epochs = result.epochs().stream().map(EpochMetrics::epoch).toList();
        assertEquals(List.of(0, 1, 2), epochs, "each epoch exactly once in metrics.csv");
        assertEquals(2, runDir.readCheckpointState().epoch());
        assertTrue(result.epochs().stream().allMatch(m -> m.validated() && Double.isFinite(m.trainLoss())));
        assertTrue(Files.exists(result.bestModel()));
        assertEquals(1, Files.list(run.resolve("checkpoints")).count(), "only the last checkpoint is kept");
        assertTrue(Files.readString(runDir.log()).contains("resumed at epoch " + (killedAt.epoch() + 1)));
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("plots/loss.png") && Files.size(run.resolve("plots").resolve("loss.png")) > 1000, report);
        assertTrue(Files.exists(run.resolve("plots").resolve("validation.png")));
    }

    @Test
    void aRunRefusesBadSettingsBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path root = tinyRoot(dir.resolve("baid"));
        TrainingConfig ref = TrainingConfig.reference(root.toString());
        IllegalArgumentException noWeights = assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(
                ref.root(), "full", 64, 1e-5, 5e-4, 0.5, "relu", 1, 4, 1, "1.0", null, null, null, null, false, false, 1,
                false, 2, 2));
        assertTrue(noWeights.getMessage().contains("--random-backbones"));
        assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(ref.root(), "full", 100, 1e-5, 5e-4, 0.5,
                "relu", 1, 4, 1, "1.0", null, null, null, null, true, false, 1, false, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(ref.root(), "full", 64, 1e-5, 5e-4, 0.5,
                "relu", 1, 0, 1, "1.0", null, null, null, null, true, false, 1, false, 2, 2));
        Files.delete(root.resolve("images").resolve("1.png"));
        Exception missing = assertThrows(Exception.class, () -> Trainer.train(new TrainingConfig(root.toString(), "full",
                64, 1e-5, 5e-4, 0.5, "relu", 1, 4, 1, "1.0", null, null, null, null, true, false, 1, false, 2, 2),
                dir.resolve("run"), new Trainer.Listener() { }));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        assertFalse(Files.exists(dir.resolve("run").resolve("config.json")), "nothing written before validation passed");
    }
}
