package org.baid4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
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
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path model = dir.resolve("model.zip");
        SaanModel.create(SaanConfig.reference().withInputSize(64)).save(model.toFile(), false);
        Path out = dir.resolve("eval");
        Cli.Run r = Cli.run("evaluate", "--model", model.toString(), "--root", root.toString(),
                "--out", out.toString(), "--bootstrap", "200", "--batch", "4");
        assertEquals(0, r.exit(), r.err());
        List<String> rows = Files.readAllLines(out.resolve("result.csv"));
        assertEquals("image,score,prediction", rows.get(0));
        assertEquals(11, rows.size());
        List<String> csv = Files.readAllLines(root.resolve("dataset").resolve("test_set.csv"));
        // The predictions are the model's scores: the same as baid score gives for the same files.
        Cli.Run scored = Cli.run("score", "--model", model.toString(), root.resolve("images").toString());
        assertEquals(0, scored.exit(), scored.err());
        java.util.Map<String, Double> scores = new java.util.HashMap<>();
        for (String row : scored.csv().subList(1, scored.csv().size())) {
            String[] f = row.split(",");
            scores.put(Path.of(f[0]).getFileName().toString(), Double.parseDouble(f[1]));
        }
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            String[] label = csv.get(i).split(",");
            assertEquals(label[0], f[0], "the split's rows in order");
            assertEquals(Double.parseDouble(label[1]), Double.parseDouble(f[1]), 1e-9, "the true score");
            // evaluate batches the split in its order, score the folder in its own: a file lands in
            // batches of other sizes, for which oneDNN's Winograd kernels block (and round) otherwise.
            // 1e-4 on the 0-10 scale is half the parity bar against the reference.
            assertEquals(scores.get(f[0]), Double.parseDouble(f[2]), 1e-4, f[0] + ": prediction = its score");
            distinct.add(f[2]);
        }
        assertTrue(distinct.size() > 5, "predictions differ between images: " + distinct);
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
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Cli.Run noModel = Cli.run("evaluate", "--model", dir.resolve("none.zip").toString(),
                "--root", root.toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, noModel.exit());
        assertTrue(noModel.err().contains("none.zip"), noModel.err());
        Cli.Run noRoot = Cli.run("evaluate", "--model", dir.resolve("none.zip").toString(),
                "--root", dir.resolve("nothing").toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, noRoot.exit());
        assertTrue(noRoot.err().contains("nothing"), noRoot.err());
    }
}
