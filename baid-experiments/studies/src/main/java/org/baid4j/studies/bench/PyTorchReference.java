package org.baid4j.studies.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a measurement script of tools/pytorch (the PyTorch reference, for side-by-side figures)
 * and returns its JSON line. The interpreter is BAID_PYTHON, else /usr/bin/python3 (where
 * Debian's python3-torch lives), else python3.
 */
public final class PyTorchReference {
    private PyTorchReference() {
    }

    public static Map<String, Object> run(String script, String... args) throws IOException, InterruptedException {
        Process p = process(script, args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(script + " failed (is PyTorch installed? apt-get install python3-torch "
                    + "python3-torchvision python3-opencv):\n" + output.trim());
        }
        String[] lines = output.trim().split("\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = new ObjectMapper().readValue(lines[lines.length - 1], Map.class);
        return json;
    }

    /**
     * A process running {@code script} of tools/pytorch with {@code args}, in this process's
     * environment: where {@code ./baid} preloads tcmalloc for baid4j, PyTorch runs on it too, so that
     * the two frameworks are compared on the same allocator (BAID_MALLOC=system: both on glibc's).
     */
    public static ProcessBuilder process(String script, String... args) throws IOException {
        return new ProcessBuilder(command(script, args));
    }

    /**
     * The malloc this process and the PyTorch processes it starts run on: the libraries in
     * LD_PRELOAD (./baid preloads tcmalloc where installed), else "glibc".
     */
    public static String nativeAllocator() {
        String preload = System.getenv("LD_PRELOAD");
        return preload == null || preload.isBlank() ? "glibc" : preload;
    }

    /** The command line running {@code script} of tools/pytorch with {@code args}. */
    public static List<String> command(String script, String... args) throws IOException {
        Path tools = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && tools == null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("tools/pytorch"))) {
                tools = dir.resolve("tools/pytorch");
            }
        }
        if (tools == null) {
            throw new IOException("tools/pytorch not found here or above: run from the repository");
        }
        List<String> command = new ArrayList<>();
        String configured = System.getenv("BAID_PYTHON");
        command.add(configured != null ? configured : Files.exists(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        command.add(tools.resolve(script).toString());
        command.addAll(List.of(args));
        return command;
    }
}
