package org.baid4j.cli;

import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.EpochMetrics;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.RunSettings;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.saan.TrainingConfig;
import org.baid4j.training.testkit.TinyRuns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A SAAN run killed with SIGKILL resumes from its last checkpoint and finishes, every epoch once. */
class TrainResumeTest {

    @Tag("process")
    @Test
    void aKilledRunResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
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

        TrainingResult result = TrainingRuns.resume(run);
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

    /**
     * Run folders of earlier formats (a flat config.json; the sections with the network's settings
     * loose in the model section) are refused with what to do, not half read: their checkpoints are
     * model files this version does not read either.
     */
    @Test
    void aRunFolderOfAnEarlierFormatIsRefusedSayingWhatToDo(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path run = Files.createDirectories(dir.resolve("old-run"));
        Files.writeString(run.resolve("config.json"), """
                {"root":"%s","variant":"full","inputSize":64,"learningRate":1.0E-4,"weightDecay":5.0E-4,"dropout":0.0,
                 "headActivation":"relu","epochs":2,"batch":5,"seed":3,"subset":"1.0","from":null,"pretrained":null,
                 "resnet":null,"vgg":null,"randomBackbones":true,"skipMissing":false,"threads":2,"useCache":false,
                 "validateEvery":1,"checkpointEvery":1}""".formatted(root.toString().replace("\\", "\\\\")));
        Exception flat = assertThrows(java.io.IOException.class, () -> TrainingRuns.resume(run));
        assertTrue(flat.getMessage().contains("written by an earlier baid4j") && flat.getMessage().contains("baid train"),
                flat.getMessage());
        Files.writeString(run.resolve("config.json"), """
                {"data":{"root":"%s","subset":"1.0","skipMissing":false,"cache":false,"threads":2},
                 "model":{"variant":"full","inputSize":64,"dropout":0.0,"headActivation":"relu","from":null,
                          "pretrained":null,"resnet":null,"vgg":null,"randomBackbones":true},
                 "optimiser":{"learningRate":1e-4,"beta1":0.5,"beta2":0.999,"epsilon":1e-8,"weightDecay":5e-4,"schedule":"STEP"},
                 "run":{"epochs":2,"batch":5,"seed":3,"validateEvery":1,"checkpointEvery":1,"patience":0}}"""
                .formatted(root.toString().replace("\\", "\\\\")));
        Exception sectioned = assertThrows(java.io.IOException.class, () -> TrainingRuns.resume(run));
        assertTrue(sectioned.getMessage().contains("written by an earlier baid4j"), sectioned.getMessage());

        Files.writeString(run.resolve("config.json"), "{\"something\": \"else\"}");
        Exception unknown = assertThrows(java.io.IOException.class, () -> TrainingRuns.resume(run));
        assertTrue(unknown.getMessage().contains("config.json"), unknown.getMessage());
    }

    @Test
    void aRunRefusesBadSettingsBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        TrainingConfig ok = TinyRuns.config(root, 1, 4, 1);
        IllegalArgumentException noWeights = assertThrows(IllegalArgumentException.class,
                () -> ok.toBuilder().optRandomBackbones(false).build());
        assertTrue(noWeights.getMessage().contains("--random-backbones"));
        assertThrows(IllegalArgumentException.class, () -> ok.toBuilder().optInputSize(100).build());
        assertThrows(IllegalArgumentException.class, () -> new RunSettings(1, 0, 1, 1, 1, 0));
        Files.delete(root.resolve("images").resolve("1.png"));
        Exception missing = assertThrows(Exception.class, () -> TrainingRuns.train(ok, dir.resolve("run")));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        assertFalse(Files.exists(dir.resolve("run").resolve("config.json")), "nothing written before validation passed");
    }
}
