package org.baid4j.cli;

import org.baid4j.core.io.FolderLock;
import org.baid4j.data.TinyBaid;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.TrainingEngine;
import org.baid4j.training.saan.SaanTraining;
import org.baid4j.training.saan.TrainingConfig;
import org.baid4j.training.testkit.TinyRuns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The command line as a new user's bad-input pass meets it: outputs that would overwrite inputs,
 * write errors, locked folders, bad option values, resumed runs given options: each refused before
 * any work with one line naming the problem, or applied as said.
 */
class FileSafetyAndValidationTest {
    private static final Path EXAMPLES = TinyBaid.EXAMPLES;

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept(@TempDir Path dir) throws Exception {
        Path image = Files.copy(EXAMPLES.resolve("mosaic.bmp"), dir.resolve("mosaic.bmp"));
        byte[] before = Files.readAllBytes(image);
        Cli.Run score = Cli.run("score", "--model", "untrained", "--input-size", "64", "--out", image.toString(),
                image.toString());
        assertEquals(2, score.exit(), score.err());
        assertTrue(score.err().contains("--out " + image + " is one of the inputs"), score.err());
        assertArrayEquals(before, Files.readAllBytes(image));

        Path pth = Files.writeString(dir.resolve("X.pth"), "a PyTorch file");
        Cli.Run imp = Cli.run("import-weights", "--from", pth.toString(), "--to", dir.resolve(".").resolve("X.pth").toString());
        assertEquals(2, imp.exit(), imp.err());
        assertTrue(imp.err().contains("is one of the inputs"), imp.err());
        assertEquals("a PyTorch file", Files.readString(pth));
    }

    @Test
    void aWriteErrorOnStdoutIsAnErrorNotExitCodeZero() {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        }, true));
        System.setErr(new PrintStream(err, true));
        int exit;
        try {
            exit = Baid.execute("score", "--model", "untrained", "--input-size", "64", EXAMPLES.resolve("mosaic.bmp").toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("stdout: could not write the scores"), err.toString());
    }

    @Test
    void badValuesAreRefusedTheSameWayInEveryCommand(@TempDir Path dir) {
        record Case(String expected, String... args) {
        }
        Path out = dir.resolve("out");
        for (Case c : List.of(
                new Case("--bootstrap takes a whole number at least 1, got 0", "evaluate", "--model", "m.zip", "--root",
                        dir.toString(), "--bootstrap", "0", "--out", out.toString()),
                new Case("--threads takes a whole number at least 1, got -5", "score", "--model", "untrained",
                        "--threads", "-5", "x.jpg"),
                new Case("--threads takes a whole number at least 1, got 0", "train", "--root", dir.toString(), "--out",
                        out.toString(), "--threads", "0", "--random-backbones"),
                new Case("--workers takes a whole number at least 1, got 0", "train", "--root", dir.toString(), "--out",
                        out.toString(), "--workers", "0", "--random-backbones"),
                new Case("--epochs takes a whole number at least 1, got 0", "demo", "--epochs", "0", "--out", out.toString()),
                new Case("--input-size takes a multiple of 32", "import-weights", "--vgg", "v.pth", "--to", "m.zip",
                        "--input-size", "100"),
                new Case("--proxy takes an HTTP proxy URL", "download", "--root", out.toString(), "--proxy", "http://h:1/x y"))) {
            Cli.Run r = Cli.run(c.args());
            assertEquals(2, r.exit(), String.join(" ", c.args()) + "\n" + r.err());
            assertTrue(r.err().startsWith("baid " + c.args()[0] + ": " + c.expected()), r.err());
            assertEquals(2, r.err().lines().count(), "the problem and where the options are, no usage dump: " + r.err());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", c.args()));
        }
        // How a run trains, refused before anything is written when this build cannot.
        Cli.Run spark = Cli.run("train", "--root", dir.toString(), "--out", out.toString(), "--random-backbones",
                "--spark", "local[1]");
        assertNotEquals(0, spark.exit());
        assertTrue(spark.err().contains("this build has no Spark support: ./baid train --spark builds it"), spark.err());
        Cli.Run exchange = Cli.run("train", "--root", dir.toString(), "--out", out.toString(), "--random-backbones",
                "--spark-exchange", dir.resolve("x").toString());
        assertNotEquals(0, exchange.exit());
        assertTrue(exchange.err().contains("--spark-exchange goes with --spark"), exchange.err());
        Cli.Run averaging = Cli.run("train", "--root", dir.toString(), "--out", out.toString(), "--random-backbones",
                "--averaging-frequency", "5");
        assertNotEquals(0, averaging.exit());
        assertTrue(averaging.err().contains("--averaging-frequency goes with --workers 2 or more, or --spark"), averaging.err());
        assertFalse(Files.exists(out), "nothing written");
        Cli.Run none = Cli.run();
        assertEquals(2, none.exit());
        assertTrue(none.err().startsWith("Usage: baid"), none.err());
        Cli.Run unknown = Cli.run("scroe");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("baid: Unmatched argument at index 0: 'scroe'"), unknown.err());
        Cli.Run help = Cli.run("evaluate", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("bootstrap 95% intervals") && !help.err().contains("format"), help.err());
        Path existing = dir.resolve("taken.txt");
        Cli.Run eval = Cli.run("evaluate", "--model", "m.zip", "--root", dir.toString(), "--out", writeFile(existing));
        assertEquals(2, eval.exit());
        assertTrue(eval.err().contains("--out " + existing + " is a file"), eval.err());
    }

    @Tag("training")
    @Test
    void aRunFolderInUseIsRefusedAndLeftAsItWas(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path run = dir.resolve("run");
        try (FolderLock held = FolderLock.acquire(run)) {
            Cli.Run r = Cli.run("train", "--root", root.toString(), "--out", run.toString(), "--input-size", "64",
                    "--epochs", "1", "--batch", "5", "--random-backbones", "--threads", "2");
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains(run + ": in use by"), r.err());
        }
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(List.of(), files.toList(), "nothing written, and the holder's lock file gone with it");
        }
    }

    /** Resume applies --epochs (written to config.json), refuses other options and a finished run without more epochs. */
    @Tag("training")
    @Test
    void resumeAppliesEpochsAndRefusesTheRest(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path relativeRoot = Path.of("").toAbsolutePath().relativize(root);
        Path run = dir.resolve("run");
        Cli.Run first = Cli.run("train", "--root", relativeRoot.toString(), "--out", run.toString(), "--input-size", "64",
                "--epochs", "1", "--batch", "5", "--random-backbones", "--threads", "2", "--validate-every", "1",
                "--checkpoint-every", "1");
        assertEquals(0, first.exit(), first.err());
        RunDirectory runDir = new RunDirectory(run);
        assertEquals(root.toString(), RunDirectory.readJson(runDir.config()).path("data").path("root").asText(),
                "config.json holds the root as an absolute path");

        Cli.Run finished = Cli.run("train", "--resume", run.toString());
        assertEquals(2, finished.exit());
        assertTrue(finished.err().contains("has finished its 1 epochs; to train on, give --epochs N"), finished.err());
        Cli.Run changed = Cli.run("train", "--resume", run.toString(), "--lr", "0.1", "--epochs", "2");
        assertEquals(2, changed.exit());
        assertTrue(changed.err().startsWith("baid train: --lr cannot change what is being resumed: "
                + run.resolve("config.json")), changed.err());
        Cli.Run fewer = Cli.run("train", "--resume", run.toString(), "--epochs", "1");
        assertEquals(2, fewer.exit());
        assertTrue(fewer.err().contains("--epochs 1 would train none"), fewer.err());

        Cli.Run more = Cli.run("train", "--resume", run.toString(), "--epochs", "2");
        assertEquals(0, more.exit(), more.err());
        assertEquals(List.of(0, 1), runDir.readMetrics().stream().map(m -> m.epoch()).toList());
        assertEquals(2, RunDirectory.readJson(runDir.config()).path("run").path("epochs").asInt());

        // A damaged checkpoint or config.json: one line naming the file.
        Path checkpoint = run.resolve(runDir.readCheckpointState().model());
        byte[] zip = Files.readAllBytes(checkpoint);
        Files.write(checkpoint, java.util.Arrays.copyOf(zip, zip.length / 2));
        Cli.Run damaged = Cli.run("train", "--resume", run.toString(), "--epochs", "3");
        assertEquals(2, damaged.exit());
        assertTrue(damaged.err().startsWith("baid train: " + checkpoint + ": "), damaged.err());
        assertTrue(damaged.err().lines().count() <= 2, damaged.err());
        Files.writeString(runDir.config(), "{\"data\": {");
        Cli.Run config = Cli.run("train", "--resume", run.toString(), "--epochs", "3");
        assertTrue(config.err().startsWith("baid train: " + runDir.config() + ": damaged JSON (Unexpected end-of-input"),
                config.err());
    }

    /** An image deleted after the split was checked: the run stops with one line naming it, its last checkpoint kept. */
    @Tag("training")
    @Test
    void anImageThatVanishesDuringTrainingIsNamed(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        org.baid4j.training.saan.TrainingConfig config = org.baid4j.training.testkit.TinyRuns.config(root, 1, 5, 3);
        try (org.baid4j.training.saan.SaanTraining task = new org.baid4j.training.saan.SaanTraining(config)) {
            String gone = config.data().root() + "/images/" + org.baid4j.data.baid.BaidRoot.open(root)
                    .labels(org.baid4j.data.baid.BaidSplit.TRAIN).get(0).image();
            Files.delete(Path.of(gone));
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    org.baid4j.training.engine.TrainingEngine.standard(config.run()).start(task, dir.resolve("run")));
            assertEquals(gone + ": no such file, during training: the split was checked when the run started, so the"
                    + " images changed since; restore them and resume the run", e.getMessage());
        }
    }

    private static String writeFile(Path p) {
        try {
            Files.writeString(p, "x");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p.toString();
    }

    /**
     * A run stopped early trains on only with a larger patience (or none), which --resume takes
     * and config.json records; --epochs alone is refused saying so, rather than training nothing.
     */
    @Tag("training")
    @Test
    void aRunStoppedEarlyTrainsOnWithALargerPatience(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path run = dir.resolve("run");
        Cli.Run first = Cli.run("train", "--root", root.toString(), "--out", run.toString(), "--input-size", "64",
                "--epochs", "2", "--batch", "5", "--random-backbones", "--threads", "2", "--validate-every", "1",
                "--checkpoint-every", "1");
        assertEquals(0, first.exit(), first.err());
        // As if it had run with --patience 1 and its best had been epoch 0: stopped early after epoch 1.
        RunDirectory runDir = new RunDirectory(run);
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
                RunDirectory.readJson(runDir.config());
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("run")).put("patience", 1);
        Files.write(runDir.config(), RunDirectory.JSON.writeValueAsBytes(config));
        com.fasterxml.jackson.databind.node.ObjectNode state = (com.fasterxml.jackson.databind.node.ObjectNode)
                RunDirectory.readJson(runDir.checkpointState());
        state.put("bestEpoch", 0);
        Files.write(runDir.checkpointState(), RunDirectory.JSON.writeValueAsBytes(state));

        Cli.Run epochsOnly = Cli.run("train", "--resume", run.toString(), "--epochs", "4");
        assertEquals(2, epochsOnly.exit(), epochsOnly.err());
        assertTrue(epochsOnly.err().startsWith("baid train: " + run + " stopped early after epoch 1: no better validation in 1"
                + " validations (--patience 1); to train on, give --patience with more than 1, or 0 for no early stop"),
                epochsOnly.err());
        Cli.Run morePatience = Cli.run("train", "--resume", run.toString(), "--epochs", "4", "--patience", "3");
        assertEquals(0, morePatience.exit(), morePatience.err());
        assertEquals(List.of(0, 1, 2, 3), runDir.readMetrics().stream().map(m -> m.epoch()).toList());
        assertEquals(3, RunDirectory.readJson(runDir.config()).path("run").path("patience").asInt());
    }
}
