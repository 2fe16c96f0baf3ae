package org.baid4j.cli;

import org.baid4j.data.TinyBaid;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code baid search}'s bad input: one line naming the problem, exit code 2, nothing started or overwritten. */
@Tag("training")
class SearchCommandTest {

    @Test
    void badSpacesSamplersAndFoldersAreRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path out = dir.resolve("sweep");
        Map<String, String> spaces = Map.of(
                "{ not json", "not a JSON search space",
                "{\"lr\": {\"type\": \"float\", \"low\": 1e-3, \"high\": 1e-3, \"log\": true}}", "lr: empty range",
                "{\"momentum\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}", "unknown parameter 'momentum'",
                "{\"lr\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"log\": true}}", "a log range must be above 0",
                "{\"head-activation\": {\"type\": \"categorical\", \"choices\": [\"relu\", \"swish\"]}}", "swish",
                "{\"dropout\": {\"type\": \"int\", \"low\": 0, \"high\": 1}}", "dropout takes a range of type \"float\"");
        int i = 0;
        for (Map.Entry<String, String> s : spaces.entrySet()) {
            Path space = Files.writeString(dir.resolve("space" + i++ + ".json"), s.getKey());
            assertRefused(s.getValue(), out, "search", "--root", root.toString(), "--out", out.toString(), "--space",
                    space.toString(), "--random-backbones", "--input-size", "64");
        }
        assertRefused("unknown sampler 'bayes'", out, "search", "--root", root.toString(), "--out", out.toString(),
                "--sampler", "bayes", "--random-backbones", "--input-size", "64");
        assertRefused("--trials takes a whole number at least 1, got 0", out, "search", "--root", root.toString(), "--out", out.toString(),
                "--trials", "0", "--random-backbones", "--input-size", "64");
        assertRefused("unknown objective", out, "search", "--root", root.toString(), "--out", out.toString(),
                "--objective", "accuracy", "--random-backbones", "--input-size", "64");
        assertRefused("--max-time takes a duration", out, "search", "--root", root.toString(), "--out", out.toString(),
                "--max-time", "soon", "--random-backbones", "--input-size", "64");
        assertRefused("not a sweep", out, "search", "--resume", root.toString());

        // A folder holding a sweep is never started over, whatever the arguments.
        Files.createDirectories(out);
        Files.writeString(out.resolve("sweep.json"), "{\"kept\": true}");
        Cli.Run again = Cli.run("search", "--root", root.toString(), "--out", out.toString(), "--trials", "5",
                "--random-backbones", "--input-size", "64");
        assertEquals(Baid.USAGE_OR_FILE_ERROR, again.exit());
        assertTrue(again.err().contains("already holds a sweep"), again.err());
        assertEquals("{\"kept\": true}", Files.readString(out.resolve("sweep.json")), "nothing overwritten");
        assertEquals(List.of(out.resolve("sweep.json")), Files.list(out).toList());
        Cli.Run resumeWithOthers = Cli.run("search", "--resume", out.toString(), "--space", dir.resolve("space0.json").toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, resumeWithOthers.exit());
        assertTrue(resumeWithOthers.err().startsWith("baid search: --space cannot change what is being resumed: " + out.resolve("sweep.json")), resumeWithOthers.err());
    }

    /** --demo's own settings stand for the options not given; those given apply (they were dropped without a word). */
    @Test
    void demoTakesTheTrainingOptionsGiven(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo-sweep");
        Cli.Run r = Cli.run("search", "--demo", "--out", out.toString(), "--trials", "1", "--epochs", "1", "--batch", "8",
                "--input-size", "96", "--weight-decay", "1e-4", "--schedule", "constant");
        assertEquals(0, r.exit(), r.err());
        com.fasterxml.jackson.databind.JsonNode config = org.baid4j.training.engine.RunDirectory.readJson(
                out.resolve("trials").resolve("000").resolve("config.json"));
        assertEquals(96, config.path("model").path("network").path("inputSize").asInt(), config.toString());
        assertEquals(8, config.path("run").path("batch").asInt());
        assertEquals(1, config.path("run").path("epochs").asInt());
        assertEquals(1e-4, config.path("optimiser").path("weightDecay").asDouble(), 1e-12);
        assertEquals("constant", config.path("optimiser").path("schedule").asText());
        assertTrue(config.path("model").path("weights").path("randomBackbones").asBoolean(), "the demo's random backbones");
        assertEquals(0.2, config.path("model").path("network").path("dropout").asDouble(), 1.0,
                "searched or the demo's, never train's default");
    }

    private static void assertRefused(String message, Path out, String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(Baid.USAGE_OR_FILE_ERROR, r.exit(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("baid search: ")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains(message), message + " in: " + lines.get(0));
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out), "nothing written for: " + lines.get(0));
    }
}
