package org.baid4j.spark;

import org.baid4j.cli.Baid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** --spark with no master there, or a value Spark does not know: one line (and the --verbose hint) at once, no run folder. */
class SparkMastersTest {

    @Test
    void anAbsentMasterOrAnUnknownUrlIsOneLineAndNoRunFolder(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();   // free now: nothing listens there
        }
        Path out = dir.resolve("run");
        long start = System.nanoTime();
        String[] absent = run("train", "--root", dir.toString(), "--out", out.toString(), "--random-backbones",
                "--spark", "spark://127.0.0.1:" + closed);
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "refused within seconds, not after Spark's minute");
        assertEquals("2", absent[0], absent[1]);
        assertTrue(absent[1].lines().count() <= 2 && !absent[1].contains("\tat "), "the problem and the --verbose hint: " + absent[1]);
        assertTrue(absent[1].startsWith("baid train: --spark spark://127.0.0.1:" + closed + ": no Spark master answers at"),
                absent[1]);
        assertFalse(Files.exists(out), "no run folder left for a rerun to trip over");

        String[] garbage = run("train", "--root", dir.toString(), "--out", out.toString(), "--random-backbones",
                "--spark", "garbage");
        assertEquals("2", garbage[0], garbage[1]);
        assertEquals("baid train: --spark takes local[N], spark://HOST:PORT, yarn or k8s://..., got 'garbage'",
                garbage[1].lines().findFirst().orElse(""));
        assertTrue(garbage[1].lines().count() <= 2 && !garbage[1].contains("\tat "), garbage[1]);
        assertFalse(Files.exists(out));

        SparkMasters.check("local[2]");
        SparkMasters.check("local[*]");
        SparkMasters.check("local");
        assertThrows(IllegalArgumentException.class, () -> SparkMasters.check("local[0]"));
        assertThrows(IllegalArgumentException.class, () -> SparkMasters.check("spark://nohost"));
    }

    private static String[] run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Baid.execute(args);
            return new String[]{Integer.toString(exit), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(oldErr);
        }
    }
}
