package org.baid4j.cli;

import org.baid4j.data.TinyBaid;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.download.FaultyImageServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code baid download} and {@code baid cache} as a user runs them (in this package for the test server). */
class DataCommandsTest {

    @Test
    void downloadReportsWhatFailedInFailedCsvAndExitsNonZero(@TempDir Path dir) throws Exception {
        byte[] image = Files.readAllBytes(TinyBaid.EXAMPLES.resolve("sunset-strokes.jpg"));
        try (FaultyImageServer server = new FaultyImageServer(image, 0, 0)) {
            Path list = dir.resolve("list.csv");
            Files.writeString(list, "image_link,image_name\n" + server.url("ok", "1.jpg") + ",1.jpg\n"
                    + server.url("missing", "2.jpg") + ",2.jpg\n");
            Path root = dir.resolve("baid");
            Cli.Run r = Cli.run("download", "--root", root.toString(), "--list", list.toString(),
                    "--threads", "2", "--retries", "1", "--timeout", "5");
            assertEquals(Baid.SOME_INPUTS_FAILED, r.exit(), r.err());
            assertTrue(r.out().contains("1 downloaded, 0 already present, 1 failed (of 2)"), r.out());
            List<String> failed = Files.readAllLines(root.resolve("failed.csv"));
            assertEquals(2, failed.size());
            assertTrue(failed.get(1).startsWith("2.jpg,") && failed.get(1).endsWith("HTTP 404 (not retried)"));
            assertArrayEquals(image, Files.readAllBytes(root.resolve("images").resolve("1.jpg")));

            Cli.Run bad = Cli.run("download", "--root", root.toString(), "--threads", "0");
            assertEquals(Baid.USAGE_OR_FILE_ERROR, bad.exit());
            assertTrue(bad.err().startsWith("baid download: --threads takes a whole number at least 1, got 0"), bad.err());
        }
    }

    @Test
    void cacheBuildsOnceAndRefusesMissingImages(@TempDir Path dir) throws Exception {
        List<org.baid4j.data.baid.BaidLabel> labels = TinyBaid.create(dir);
        Cli.Run first = Cli.run("cache", "--root", dir.toString(), "--split", "test",
                "--size", "64");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("10 images cached in") && first.out().contains("at 64x64"), first.out());
        Path cache = dir.resolve("cache").resolve("test-64.bin");
        long built = Files.getLastModifiedTime(cache).toMillis();
        Thread.sleep(20);
        assertEquals(0, Cli.run("cache", "--root", dir.toString(), "--split", "test", "--size", "64").exit());
        assertEquals(built, Files.getLastModifiedTime(cache).toMillis(), "an up-to-date cache is kept");

        Cli.Run verified = Cli.run("cache", "--root", dir.toString(), "--split", "test", "--size", "64", "--verify");
        assertEquals(0, verified.exit(), verified.err());
        assertTrue(verified.out().contains("10 of 10 entries verified"), verified.out());
        Path edited = dir.resolve("images").resolve(labels.get(4).image());   // same size, time put back
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(edited);
        byte[] bytes = Files.readAllBytes(edited);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(edited, bytes);
        Files.setLastModifiedTime(edited, time);
        Cli.Run caught = Cli.run("cache", "--root", dir.toString(), "--split", "test", "--size", "64", "--verify");
        assertEquals(Baid.SOME_INPUTS_FAILED, caught.exit(), caught.err());
        assertTrue(caught.err().contains("error: " + edited + ": changed since the cache was built"), caught.err());
        assertTrue(caught.out().contains("9 of 10 entries verified"), caught.out());
        assertEquals(built, Files.getLastModifiedTime(cache).toMillis(), "--verify builds nothing");

        Files.delete(dir.resolve("images").resolve(labels.get(2).image()));
        Cli.Run refused = Cli.run("cache", "--root", dir.toString(), "--split", "test", "--size", "64");
        assertEquals(Baid.USAGE_OR_FILE_ERROR, refused.exit());
        assertTrue(refused.err().contains("1 of 10 images of the test split are missing"), refused.err());
        Cli.Run skipped = Cli.run("cache", "--root", dir.toString(), "--split", "test",
                "--size", "64", "--skip-missing");
        assertEquals(0, skipped.exit(), skipped.err());
        assertTrue(skipped.out().contains("9 images cached"), skipped.out());
    }
}
