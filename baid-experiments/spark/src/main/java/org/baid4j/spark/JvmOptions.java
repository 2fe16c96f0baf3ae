package org.baid4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JVM flags Spark 3.5 needs on Java 17 (Spark's own launcher list, JavaModuleOptions), from
 * java17-options.txt beside this class, which ./baid and tools/spark/standalone read too; and
 * an executor's room for ND4J's off-heap arrays.
 */
public final class JvmOptions {
    private JvmOptions() {
    }

    /** Spark's flags for Java 17, space-separated. */
    public static final String OPENS = read();

    /** An executor's: the flags above and ND4J's native memory limits (SAAN at 224, batch 8). */
    public static final String EXECUTOR = OPENS
            + " -Dorg.bytedeco.javacpp.maxbytes=8g -Dorg.bytedeco.javacpp.maxphysicalbytes=12g";

    private static String read() {
        try (InputStream in = JvmOptions.class.getResourceAsStream("java17-options.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().replaceAll("\\s+", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
