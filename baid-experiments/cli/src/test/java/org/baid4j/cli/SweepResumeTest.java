package org.baid4j.cli;

import org.baid4j.data.TinyBaid;
import org.baid4j.training.engine.RunDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A sweep killed with SIGKILL in the middle of a trial, then resumed, ends as an uninterrupted one
 * with the same seed: the same candidates (TPE models from the third trial on, so its proposal
 * depends on the interrupted trial's result), the same objectives, the interrupted trial finished
 * from its checkpoint.
 */
@Tag("process")
class SweepResumeTest {

    static List<String> args(Path root, Path out) {
        return List.of("search", "--root", root.toString(), "--out", out.toString(), "--trials", "3", "--epochs", "2",
                "--startup-trials", "2", "--input-size", "64", "--batch", "5", "--random-backbones", "--threads", "2",
                "--seed", "3", "--validate-every", "1", "--checkpoint-every", "1");
    }

    @Test
    void aKilledSweepResumesToTheUninterruptedSweepsTrials(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path whole = dir.resolve("whole");
        Cli.Run uninterrupted = Cli.run(args(root, whole).toArray(new String[0]));
        assertEquals(0, uninterrupted.exit(), uninterrupted.err());

        Path killed = dir.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), Baid.class.getName()));
        command.addAll(args(root, killed));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path secondTrialCheckpoint = killed.resolve("trials").resolve("001").resolve("checkpoint.json");
        long deadline = System.currentTimeMillis() + 300_000;
        while (!Files.exists(secondTrialCheckpoint) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the sweep ended before it could be killed:\n" + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly();   // SIGKILL, in trial 1's second epoch
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, new RunDirectory(killed.resolve("trials").resolve("001")).readCheckpointState().epoch());

        Cli.Run resumed = Cli.run("search", "--resume", killed.toString());
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("finishing trial 1 from its last checkpoint"), resumed.err());
        assertTrue(Files.readString(killed.resolve("trials/001/train.log")).contains("resumed at epoch 1"));

        List<String> a = withoutSeconds(whole);
        List<String> b = withoutSeconds(killed);
        assertEquals(4, a.size(), "a header and three trials");
        assertEquals(a, b, "same candidates, same objectives");
        assertTrue(a.stream().skip(1).allMatch(l -> l.contains(",complete,")), a.toString());
        assertEquals(Files.readString(whole.resolve("best.json")), Files.readString(killed.resolve("best.json")));
        assertTrue(Files.size(killed.resolve("plots").resolve("objective.png")) > 1000);
        assertTrue(Files.readString(killed.resolve("report.md")).contains("## Parameter importance"));
    }

    /** trials.csv without its seconds column (the only one that may differ). */
    private static List<String> withoutSeconds(Path sweep) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(sweep.resolve("trials.csv"))) {
            List<String> f = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            f.remove(f.size() - 2);
            rows.add(String.join(",", f));
        }
        return rows;
    }
}
