package org.baid4j.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The PyTorch reference, run as a separate process for tests that need fixtures made at test time.
 * Found through BAID_PYTHON, else Debian's /usr/bin/python3, else python3 on the PATH. Without
 * torch, torchvision, OpenCV and Pillow the test is skipped, unless BAID_REQUIRE_TORCH is set
 * (CI sets it), in which case it fails.
 */
public final class ReferencePython {
    /** The repository's root, found from any module's folder, however deep (tests run in their module's). */
    public static final Path REPO = repository();
    public static final Path TOOLS = REPO.resolve("tools").resolve("pytorch");

    private ReferencePython() {
    }

    private static Path repository() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("tools").resolve("pytorch")) && Files.isDirectory(d.resolve("baid-core"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root (tools/pytorch beside baid-core) above " + Path.of("").toAbsolutePath());
    }

    public static String interpreter() {
        return interpreter("torch, torchvision, cv2, PIL");
    }

    /** A python3 that imports {@code modules}; the test is skipped without one, or fails where BAID_REQUIRE_TORCH is set. */
    public static String interpreter(String modules) {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("BAID_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String python : candidates) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import " + modules)
                        .redirectErrorStream(true).start();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException | InterruptedException e) {
                // try the next one
            }
        }
        String message = "no python3 with " + modules + " (tried " + candidates + ")";
        if (System.getenv("BAID_REQUIRE_TORCH") != null) {
            fail(message + "; BAID_REQUIRE_TORCH is set");
        }
        Assumptions.abort(message);
        return null;
    }

    /** Runs a script from tools/pytorch; fails the test with its output (stdout and stderr) if it fails. */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        return execute(interpreter(), TOOLS.resolve(script), true, args);
    }

    /** Runs {@code script} with a python3 that has {@code modules}; returns its stdout (stderr goes to the test's log). */
    public static String runWith(String modules, Path script, String... args) throws IOException, InterruptedException {
        return execute(interpreter(modules), script, false, args);
    }

    private static String execute(String python, Path script, boolean withStderr, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (withStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(script + " timed out");
        }
        assertEquals(0, p.exitValue(), script + " failed:\n" + output);
        return output;
    }

    public static List<String[]> csv(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(line.split(","));
        }
        return rows;
    }
}
