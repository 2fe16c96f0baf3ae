package org.baid4j.studies.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A --space file is read strictly: what it says is what is searched, or an error naming the file,
 * the parameter and the problem. Ranges that training refuses are refused here, before a trial
 * fails on them.
 */
class SweepSpaceTest {

    @Test
    void whatIsLooseOrOutOfRangeIsNamed(@TempDir Path dir) throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{\"lr\": {\"type\": \"float\", \"low\": 1e-6, \"high\": 1e-3}, \"lr\": {\"type\": \"float\", \"low\": 0.1, \"high\": 0.2}}",
                "Duplicate field 'lr'");
        refused.put("{\"dropout\": {\"type\": \"float\", \"low\": \"abc\", \"high\": 0.5}}", "\"low\" takes a number, got \"abc\"");
        refused.put("{\"dropout\": {\"type\": \"float\", \"low\": null, \"high\": 0.5}}", "\"low\" takes a number, got null");
        refused.put("{\"lr\": {\"type\": \"float\", \"low\": 1e-6, \"high\": 1e400}}", "\"high\" is out of range: Infinity");
        refused.put("{\"lr\": {\"type\": \"float\", \"low\": -1, \"high\": 1e-3}}", "training refuses (learning rate must be a positive number");
        refused.put("{\"dropout\": {\"type\": \"float\", \"low\": 0.2, \"high\": 1.5}}", "training refuses (dropout must be in [0, 1)");
        refused.put("{\"beta1\": {\"type\": \"float\", \"low\": 0.5, \"high\": 1.2}}", "training refuses (Adam's betas must be in [0, 1)");
        refused.put("{\"weight-decay\": {\"type\": \"float\", \"low\": -1e-4, \"high\": 1e-3}}", "training refuses (weight decay must be a number >= 0");
        refused.put("{\"batch\": {\"type\": \"int\", \"low\": 0, \"high\": 8}}", "training refuses (--batch must be at least 1, got 0)");
        refused.put("{\"lr\": {\"type\": \"float\", \"low\": 1e-6, \"high\": 1e-3, \"log\": \"yes\"}}", "\"log\" takes true or false, got \"yes\"");
        refused.put("{\"lr\": {\"type\": \"float\", \"lo\": 1e-6, \"high\": 1e-3}}", "unknown field \"lo\"");
        refused.put("{\"head-activation\": {\"type\": \"categorical\", \"choices\": [\"relu\", 3]}}", "each choice is a string, got 3");
        refused.put("{\"head-activation\": {\"type\": \"categorical\", \"choices\": [\"relu\", \"relu\"]}}", "\"relu\" is given twice");
        refused.put("{\"lr\": {\"type\": \"float\", \"low\": 1e-6, \"high\": 1e-3}} trailing", "not a JSON search space");
        refused.put("{\"lr\": 0.001}", "a range is an object");
        int i = 0;
        for (Map.Entry<String, String> c : refused.entrySet()) {
            Path file = Files.writeString(dir.resolve("space" + i++ + ".json"), c.getKey());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepSpace.read(file), c.getKey());
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c.getValue()), c.getValue() + " in: " + e.getMessage());
        }

        Path good = Files.writeString(dir.resolve("good.json"), "{\"lr\": {\"type\": \"float\", \"low\": 1e-6, \"high\": 1e-3, \"log\": true},"
                + " \"batch\": {\"type\": \"int\", \"low\": 4, \"high\": 16}, \"head-activation\": {\"type\": \"categorical\", \"choices\": [\"relu\", \"gelu\"]}}");
        SweepSpace space = SweepSpace.read(good);
        assertEquals(new SweepSpace.Range("float", 1e-6, 1e-3, true, null), space.ranges().get("lr"));
        assertEquals(new SweepSpace.Range("int", 4, 16, false, null), space.ranges().get("batch"));
        assertEquals(java.util.List.of("relu", "gelu"), space.ranges().get("head-activation").choices());
    }
}
