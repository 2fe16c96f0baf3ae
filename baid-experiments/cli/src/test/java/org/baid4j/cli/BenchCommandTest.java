package org.baid4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("bench")
class BenchCommandTest {
    /**
     * {@code bench --sizes --batches --json}: a row per size, batch and mode, each measured in a
     * process of its own for each framework (baid4j, PyTorch, ONNX Runtime on baid4j's export), with
     * each round's figures, the ratios and the cold starts.
     */
    @Test
    void benchMeasuresEachRowInItsOwnProcessForEachFramework() throws Exception {
        Cli.Run run = Cli.run("bench", "--skip-data", "--json", "--pytorch", "--onnxruntime", "--sizes", "64", "--batches", "1,2",
                "--modes", "inference", "--runs", "1", "--rounds", "2");
        assertEquals(0, run.exit(), run.err());
        JsonNode rows = new ObjectMapper().readTree(run.out()).get("model");
        assertEquals(2, rows.size(), run.out());
        for (int i = 0; i < 2; i++) {
            JsonNode row = rows.get(i);
            assertEquals("inference", row.get("mode").asText());
            assertEquals(64, row.get("size").asInt());
            assertEquals(i + 1, row.get("batch").asInt());
            for (String framework : List.of("baid4j", "pytorch", "onnxruntime")) {
                JsonNode f = row.get(framework);
                assertNotNull(f, framework + " in " + row);
                assertEquals(2, f.get("img_per_s_rounds").size(), row.toString());
                assertTrue(f.get("cold_s").asDouble() > 0 && f.get("cold_s").asDouble() < 120, row.toString());
                assertTrue(f.get("img_per_s").asDouble() > 0, row.toString());
                // a process of its own: a JVM or an interpreter with a model, not this test's JVM
                assertTrue(f.get("peak_rss_mb").asDouble() > 100 && f.get("peak_rss_mb").asDouble() < 8000, row.toString());
                assertNull(f.get("failure"), row.toString());
            }
            // the ratio is the median of the rounds' ratios (two rounds: their mean), not the ratio of the medians
            JsonNode ours = row.get("baid4j").get("img_per_s_rounds");
            JsonNode theirs = row.get("pytorch").get("img_per_s_rounds");
            double expected = (ours.get(0).asDouble() / theirs.get(0).asDouble()
                    + ours.get(1).asDouble() / theirs.get(1).asDouble()) / 2;
            assertEquals(expected, row.get("speed_ratio").asDouble(), 0.002, row.toString());
            assertTrue(row.get("onnxruntime").get("framework").asText().startsWith("onnxruntime 1."), row.toString());
            assertTrue(row.get("speed_ratio_best_peer").asDouble() <= row.get("speed_ratio").asDouble() + 0.002, row.toString());
        }
        // the rounds alternate: the progress lines name baid4j and pytorch in turn
        List<String> order = run.err().lines().filter(l -> l.startsWith("bench: ")).map(l -> l.split(" ")[1]).toList();
        assertEquals(List.of("baid4j", "pytorch", "onnxruntime", "baid4j", "pytorch", "onnxruntime",
                "baid4j", "pytorch", "onnxruntime", "baid4j", "pytorch", "onnxruntime"), order);
    }

    /**
     * {@code bench --serve}: the server on the loopback under 1 and 2 clients, each level bounded,
     * every answer checked against the scorer's own score of its file, beside the model alone.
     */
    @Test
    void serveBenchReportsEachLevelAndTheScoresEqualTheScorers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path images = dir.resolve("images");
        java.nio.file.Files.createDirectories(images);
        for (String name : List.of("sunset-strokes.jpg", "harbour-progressive.jpg", "tall-scroll.jpg")) {
            java.nio.file.Files.copy(org.baid4j.testkit.ReferencePython.REPO.resolve("examples/images").resolve(name),
                    images.resolve(name));
        }
        Cli.Run run = Cli.run("bench", "--serve", "--json", "--size", "64", "--clients", "1,2", "--seconds", "3",
                "--max-requests", "12", "--images", images.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode out = new ObjectMapper().readTree(run.out());
        assertEquals(3, out.get("images").asInt());
        JsonNode levels = out.get("levels");
        assertEquals(2, levels.size(), run.out());
        for (int i = 0; i < 2; i++) {
            JsonNode level = levels.get(i);
            assertEquals(i + 1, level.get("clients").asInt());
            assertTrue(level.get("requests").asInt() > 0 && level.get("requests").asInt() <= 12, level.toString());
            assertEquals(0, level.get("failures").asInt(), level.toString());
            assertTrue(level.get("p50Ms").asDouble() <= level.get("p95Ms").asDouble()
                    && level.get("p95Ms").asDouble() <= level.get("p99Ms").asDouble(), level.toString());
        }
        assertTrue(out.get("model_batch1_img_per_s").asDouble() > 0 && out.get("decode_resize_ms").asDouble() > 0, run.out());
        // float32 sums in batches of other sizes round differently: a few units in the sixth decimal
        assertTrue(out.get("largest_score_difference").asDouble() < 1e-4, run.out());
    }
}
