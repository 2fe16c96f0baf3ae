package org.baid4j.experiments.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The three variants under the same settings and seeds, each evaluated, and the table. */
class AblationTest {

    @Test
    void trainsEveryVariantAndWritesTheTable(@TempDir Path dir) throws Exception {
        Path root = TrainResumeTest.tinyRoot(dir.resolve("baid"));
        TrainingConfig base = new TrainingConfig(root.toString(), "full", 64, 1e-4, 5e-4, 0.0, "relu", 1, 5, 3, "1.0",
                null, null, null, null, true, false, 2, false, 1, 1);
        Path out = dir.resolve("ablation");
        List<Ablation.Run> runs = Ablation.run(base, out, 1, new Trainer.Listener() { });
        assertEquals(3, runs.size());
        assertEquals(List.of("full", "without-gab", "without-sab"), runs.stream().map(r -> r.variant().label()).toList());
        for (Ablation.Run r : runs) {
            assertEquals(10, r.test().n());
            assertTrue(Files.exists(r.dir().resolve("test").resolve("summary.json")));
            assertEquals(3, r.seed());
        }
        String table = Files.readString(out.resolve("ablation.md"));
        assertTrue(table.contains("| run | SRCC | PLCC | Acc |"), table);
        assertTrue(table.contains("| without-gab |") && table.contains("| without-sab |"), table);

        // Run again: the finished runs are reused, not retrained.
        long before = Files.getLastModifiedTime(runs.get(0).dir().resolve("best.zip")).toMillis();
        Ablation.run(base, out, 1, new Trainer.Listener() { });
        assertEquals(before, Files.getLastModifiedTime(runs.get(0).dir().resolve("best.zip")).toMillis());
    }
}
