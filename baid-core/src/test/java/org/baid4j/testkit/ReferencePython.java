package org.baid4j.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The PyTorch reference, run as a separate process for tests that need fixtures made at test time.
 * Found through BAID_PYTHON, else Debian's /usr/bin/python3, else python3 on the PATH. Without
 * torch, torchvision, OpenCV and Pillow the test is skipped, unless BAID_REQUIRE_TORCH is set
 * (CI sets it), in which case it fails.
 *
 * <p>Each cost is paid once per build: which interpreter has which modules is probed once (in this
 * JVM, and for the build's other test JVMs in {@link #CACHE}), and a fixture is generated once for
 * its generator's content and arguments, then copied from {@link #CACHE} (a clean build, as CI's,
 * makes every fixture with torch again).
 */
public final class ReferencePython {
    /** The repository's root, found from any module's folder, however deep (tests run in their module's). */
    public static final Path REPO = repository();
    public static final Path TOOLS = REPO.resolve("tools").resolve("pytorch");
    /** The build's cache of probes and fixtures: the root's target/, which a clean build empties. */
    public static final Path CACHE = REPO.resolve("target").resolve("reference-cache");
    private static final Map<String, String> PROBED = new ConcurrentHashMap<>();

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
        String found = PROBED.computeIfAbsent(candidates + " " + modules, k -> probe(candidates, modules));
        if (!found.isEmpty()) {
            return found;
        }
        String message = "no python3 with " + modules + " (tried " + candidates + ")";
        if (System.getenv("BAID_REQUIRE_TORCH") != null) {
            fail(message + "; BAID_REQUIRE_TORCH is set");
        }
        Assumptions.abort(message);
        return null;
    }

    /**
     * The first candidate that imports {@code modules}, "" for none; one found is remembered in the
     * cache for the build's other JVMs (none found is probed again: it fails fast, and an install
     * between two runs is then seen).
     */
    private static String probe(List<String> candidates, String modules) {
        Path remembered = CACHE.resolve("probe-" + digest(String.join("\0", candidates) + "\0" + modules));
        try {
            if (Files.exists(remembered)) {
                return Files.readString(remembered);
            }
        } catch (IOException e) {
            // probe again
        }
        String found = "";
        for (String python : candidates) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import " + modules).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    found = python;
                    break;
                }
            } catch (IOException | InterruptedException e) {
                // try the next one
            }
        }
        if (!found.isEmpty()) {
            store(remembered, found.getBytes(StandardCharsets.UTF_8));
        }
        return found;
    }

    /**
     * Runs a fixture generator from tools/pytorch: {@code args[0]} is the folder it writes, the rest
     * its settings. Made once per content of the generator, the reference model and the settings,
     * then copied; fails the test with the generator's output (stdout and stderr) if it fails.
     */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        Path out = Path.of(args[0]);
        Path cached = CACHE.resolve("fixture-" + digest(contentOf(TOOLS.resolve(script)) + contentOf(TOOLS.resolve("saan_reference.py"))
                + String.join("\0", List.of(args).subList(1, args.length))));
        if (!Files.isDirectory(cached)) {
            Path making = Files.createDirectories(CACHE).resolve(cached.getFileName() + ".making-" + ProcessHandle.current().pid());
            List<String> withMaking = new ArrayList<>(List.of(args));
            withMaking.set(0, making.toString());
            String output = execute(interpreter(), TOOLS.resolve(script), true, withMaking.toArray(String[]::new));
            Files.writeString(making.resolve(".output"), output.replace(making.toString(), "FIXTURE"));
            try {
                Files.move(making, cached, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(making);   // another JVM of the build made it first
            }
        }
        copyTree(cached, out);
        return Files.readString(cached.resolve(".output")).replace("FIXTURE", out.toString());
    }

    /**
     * Runs {@code script} with a python3 that has {@code modules}; returns its stdout (stderr goes to
     * the test's log). A script that only prints (no argument names a folder or file outside the
     * repository) runs once per content of the script and its arguments.
     */
    public static String runWith(String modules, Path script, String... args) throws IOException, InterruptedException {
        String python = interpreter(modules);
        boolean printsOnly = List.of(args).stream().noneMatch(a -> a.startsWith("/") && !Path.of(a).startsWith(REPO)
                || a.startsWith("--out"));
        Path cached = CACHE.resolve("output-" + digest(modules + contentOf(script) + String.join("\0", args)));
        if (printsOnly && Files.exists(cached)) {
            return Files.readString(cached);
        }
        String output = execute(python, script, false, args);
        if (printsOnly) {
            store(cached, output.getBytes(StandardCharsets.UTF_8));
        }
        return output;
    }

    private static String contentOf(Path file) throws IOException {
        return Files.readString(file);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes beside and renames, so that another JVM of the build never reads half a file. */
    private static void store(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a cache that cannot be written costs time, not correctness
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals(".output")) {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
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
