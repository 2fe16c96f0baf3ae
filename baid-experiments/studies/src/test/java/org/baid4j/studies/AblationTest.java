package org.baid4j.studies;

import org.baid4j.core.model.ParameterCounts;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.data.TinyBaid;
import org.baid4j.training.saan.TrainingConfig;
import org.baid4j.training.testkit.TinyRuns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The three variants under the same settings and seeds, each evaluated, and the table. */
@Tag("training")
class AblationTest {

    @Test
    void trainsEveryVariantAndWritesTheTable(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        TrainingConfig base = TinyRuns.config(root, 1, 5, 3);
        Path out = dir.resolve("ablation");
        List<SaanAblation.Run> runs = SaanAblation.run(base, out, 1);
        assertEquals(3, runs.size());
        // The variants are read back from each run's best model: a run that ignored its variant would show here.
        assertEquals(List.of(SaanVariant.FULL, SaanVariant.WITHOUT_GAB, SaanVariant.WITHOUT_SAB),
                runs.stream().map(SaanAblation.Run::variant).toList());
        long[] trainable = new long[3];
        for (int i = 0; i < 3; i++) {
            SaanAblation.Run r = runs.get(i);
            assertEquals(10, r.test().n());
            assertTrue(Files.exists(r.dir().resolve("test").resolve("summary.json")));
            assertEquals(3, r.seed());
            SaanModel best = SaanModel.load(r.dir().resolve("best.zip").toFile());
            assertEquals(best.graph().getConfiguration().getVertices().containsKey("gab/conv1"), r.variant() != SaanVariant.WITHOUT_GAB);
            assertEquals(best.graph().getConfiguration().getVertices().containsKey("sab/adain"), r.variant() != SaanVariant.WITHOUT_SAB);
            trainable[i] = ParameterCounts.of(best.graph()).total();
        }
        assertTrue(trainable[0] > trainable[1] && trainable[0] > trainable[2], java.util.Arrays.toString(trainable));
        String table = Files.readString(out.resolve("ablation.md"));
        assertTrue(table.contains("| run | SRCC | PLCC | Acc |"), table);
        assertTrue(table.contains("| without-gab |") && table.contains("| without-sab |"), table);

        // Run again: the finished runs are reused, not retrained.
        long before = Files.getLastModifiedTime(runs.get(0).dir().resolve("best.zip")).toMillis();
        SaanAblation.run(base, out, 1);
        assertEquals(before, Files.getLastModifiedTime(runs.get(0).dir().resolve("best.zip")).toMillis());
    }
}
