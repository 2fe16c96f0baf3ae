package org.baid4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("bench")
class BenchCommandTest {
    /**
     * {@code bench --sizes --batches --json}: a row per size, batch and mode, each measured in a
     * process of its own for both frameworks, with each round's figures and the ratios.
     */
    @Test
    void benchMeasuresEachRowInItsOwnProcessForBothFrameworks() throws Exception {
        Cli.Run run = Cli.run("bench", "--skip-data", "--json", "--pytorch", "--sizes", "64", "--batches", "1,2",
                "--modes", "inference", "--runs", "1", "--rounds", "2");
        assertEquals(0, run.exit(), run.err());
        JsonNode rows = new ObjectMapper().readTree(run.out()).get("model");
        assertEquals(2, rows.size(), run.out());
        for (int i = 0; i < 2; i++) {
            JsonNode row = rows.get(i);
            assertEquals("inference", row.get("mode").asText());
            assertEquals(64, row.get("size").asInt());
            assertEquals(i + 1, row.get("batch").asInt());
            for (String framework : List.of("baid4j", "pytorch")) {
                JsonNode f = row.get(framework);
                assertEquals(2, f.get("img_per_s_rounds").size(), row.toString());
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
        }
        // the rounds alternate: the progress lines name baid4j and pytorch in turn
        List<String> order = run.err().lines().filter(l -> l.startsWith("bench: ")).map(l -> l.split(" ")[1]).toList();
        assertEquals(List.of("baid4j", "pytorch", "baid4j", "pytorch", "baid4j", "pytorch", "baid4j", "pytorch"), order);
    }
}
