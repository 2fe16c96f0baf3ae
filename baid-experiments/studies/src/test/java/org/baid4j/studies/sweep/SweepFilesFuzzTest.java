package org.baid4j.studies.sweep;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.baid4j.testkit.AllocationBound;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.saan.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The files a person or an earlier run gives a sweep or a run, damaged: a --space file, a sweep's
 * state.json, a run's config.json and checkpoint.json. Each damaged file reads as a valid one or
 * fails with an error naming the file, within seconds and bounded memory; never a null inside a
 * value read.
 */
class SweepFilesFuzzTest {
    private static final String SPACE = "{\"lr\": {\"type\": \"float\", \"low\": 1e-6, \"high\": 1e-3, \"log\": true},\n"
            + " \"dropout\": {\"type\": \"float\", \"low\": 0, \"high\": 0.6},\n"
            + " \"batch\": {\"type\": \"int\", \"low\": 4, \"high\": 16},\n"
            + " \"head-activation\": {\"type\": \"categorical\", \"choices\": [\"relu\", \"gelu\"]}}";

    @Provide
    Arbitrary<int[]> edits() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 250, seed = "20261206")
    void aDamagedSearchSpaceReadsOrIsANamedError(@ForAll("edits") int[] edits) throws Exception {
        fuzz(SPACE, edits, "space.json", file -> {
            try {
                SweepSpace space = SweepSpace.read(file);
                space.ranges().forEach((name, r) -> assertTrue(r.choices() != null || r.low() <= r.high(), name));
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            }
        });
    }

    @Property(tries = 250, seed = "20261207")
    void aDamagedSweepStateReadsOrIsANamedError(@ForAll("edits") int[] edits) throws Exception {
        Path dir = Files.createTempDirectory("sweep");
        SweepState state = SweepState.create(dir);
        state.put(new SweepTrial(0, Map.of("lr", 1e-4, "head-activation", "relu"), new double[]{0.3, 0.7}, SweepState.COMPLETE,
                0.61, 1, 42.5, null, "trials/000"));
        state.put(new SweepTrial(1, Map.of("lr", 2e-4, "head-activation", "gelu"), new double[]{0.5, 0.1}, SweepState.RUNNING,
                Double.NaN, -1, 3.0, null, "trials/001"));
        String valid = Files.readString(dir.resolve("state.json"));
        Files.delete(dir.resolve("state.json"));
        Files.delete(dir);
        fuzz(valid, edits, "state.json", file -> {
            try {
                for (SweepTrial t : SweepState.read(file.getParent()).trials()) {
                    assertNotNull(t);
                }
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            }
        });
    }

    @Property(tries = 200, seed = "20261208")
    void aDamagedRunConfigurationReadsOrIsANamedError(@ForAll("edits") int[] edits) throws Exception {
        String valid = new String(RunDirectory.JSON.writeValueAsBytes(TrainingConfig.reference("/data/baid")));
        fuzz(valid, edits, "config.json", file -> {
            try {
                TrainingConfig c = TrainingConfig.read(file);
                assertNotNull(c.data().root());
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith(file.toString()) || e.getMessage().startsWith(file.getParent().toString()),
                        e.getMessage());
            }
        });
    }

    @Property(tries = 200, seed = "20261209")
    void aDamagedCheckpointStateReadsOrIsANamedError(@ForAll("edits") int[] edits) throws Exception {
        String valid = new String(RunDirectory.JSON.writeValueAsBytes(new RunDirectory.Checkpoint(3,
                "checkpoints/epoch-003.zip", 0.5, 2, 12345, 678)));
        fuzz(valid, edits, "checkpoint.json", file -> {
            try {
                RunDirectory.Checkpoint c = new RunDirectory(file.getParent()).readCheckpointState();
                assertNotNull(c.model());
                assertTrue(c.epoch() >= 0, "an epoch read is one that happened: " + c);
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            }
        });
    }

    interface Check {
        void on(Path file) throws Exception;
    }

    /** {@code valid} with {@code edits} applied (characters removed, inserted, replaced, the text cut), as {@code name}. */
    private static void fuzz(String valid, int[] edits, String name, Check check) throws Exception {
        StringBuilder text = new StringBuilder(valid);
        String tokens = "{}[]\":,0123456789.-eE nulltruefalseNaN\\";
        for (int e : edits) {
            if (text.length() == 0) {
                text.append('{');
            }
            int at = e % text.length();
            switch (e % 4) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, tokens.charAt((e >>> 3) % tokens.length()));
                case 2 -> text.setCharAt(at, tokens.charAt((e >>> 5) % tokens.length()));
                default -> text.setLength(Math.max(1, at));
            }
        }
        Path dir = Files.createTempDirectory("fuzz");
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                long before = AllocationBound.allocated();
                check.on(file);
                AllocationBound.check(before, "reading " + text);
            });
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
