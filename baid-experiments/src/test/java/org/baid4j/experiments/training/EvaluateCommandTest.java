package org.baid4j.experiments.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.experiments.Baid;
import org.baid4j.experiments.ScoreCommandTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code baid evaluate} writes the split's rows with predictions and the summary with every key. */
class EvaluateCommandTest {

    @Test
    void writesResultCsvAndSummaryJson(@TempDir Path dir) throws Exception {
        Path root = TrainResumeTest.tinyRoot(dir.resolve("baid"));
        Path model = dir.resolve("model.zip");
        SaanModel.create(SaanConfig.reference().withInputSize(64)).save(model.toFile(), false);
        Path out = dir.resolve("eval");
        ScoreCommandTest.Run r = ScoreCommandTest.run("evaluate", "--model", model.toString(), "--root", root.toString(),
                "--out", out.toString(), "--bootstrap", "200", "--batch", "4");
        assertEquals(0, r.exit(), r.err());
        List<String> rows = Files.readAllLines(out.resolve("result.csv"));
        assertEquals("image,score,prediction", rows.get(0));
        assertEquals(11, rows.size());
        List<String> csv = Files.readAllLines(root.resolve("dataset").resolve("test_set.csv"));
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i).startsWith(csv.get(i).split(",")[0] + ","), "the split's rows in order");
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String key : new String[]{"n", "srcc", "plcc", "accuracy", "balanced_accuracy", "majority_baseline_accuracy",
                "mae", "rmse", "srcc_ci", "plcc_ci"}) {
            assertTrue(summary.has(key), key);
        }
        assertEquals(10, summary.get("n").asInt());
        assertEquals(2, summary.get("srcc_ci").size());
        assertTrue(r.out().contains("majority baseline"), r.out());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| run | n | SRCC | PLCC | Acc | majority baseline |"), report);
        for (String png : new String[]{"plots/scores-test.png", "plots/predicted-test.png"}) {
            assertTrue(report.contains(png), png);
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 4);
            assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, head, png + " is a PNG");
        }
    }

    @Test
    void badPathsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path root = TrainResumeTest.tinyRoot(dir.resolve("baid"));
        ScoreCommandTest.Run noModel = ScoreCommandTest.run("evaluate", "--model", dir.resolve("none.zip").toString(),
                "--root", root.toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, noModel.exit());
        assertTrue(noModel.err().contains("none.zip"), noModel.err());
        ScoreCommandTest.Run noRoot = ScoreCommandTest.run("evaluate", "--model", dir.resolve("none.zip").toString(),
                "--root", dir.resolve("nothing").toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, noRoot.exit());
        assertTrue(noRoot.err().contains("nothing"), noRoot.err());
    }
}
