package org.baid4j.experiments.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a measurement script of tools/pytorch (the PyTorch reference, for side-by-side figures)
 * and returns its JSON line verbatim. The interpreter is BAID_PYTHON, else /usr/bin/python3 (where
 * Debian's python3-torch lives), else python3.
 */
public final class PyTorchReference {
    private PyTorchReference() {
    }

    public static RawJson run(String script, String... args) throws IOException, InterruptedException {
        Path tools = Path.of("tools", "pytorch");
        if (!Files.isDirectory(tools)) {
            throw new IOException("tools/pytorch not found: run from the repository root");
        }
        List<String> command = new ArrayList<>();
        String configured = System.getenv("BAID_PYTHON");
        command.add(configured != null ? configured : Files.exists(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        command.add(tools.resolve(script).toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(script + " failed (is PyTorch installed? apt-get install python3-torch "
                    + "python3-torchvision python3-opencv):\n" + output.trim());
        }
        String[] lines = output.trim().split("\n");
        return new RawJson(lines[lines.length - 1]);
    }

    /** A JSON value passed through as text. */
    public record RawJson(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A flat map as a JSON object (numbers, strings and RawJson values). */
    public static String toJson(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(k).append("\": ");
            if (v instanceof Number || v instanceof RawJson || v instanceof Boolean) {
                sb.append(v instanceof Double && ((Double) v).isNaN() ? "null" : String.format(Locale.ROOT, "%s", v));
            } else {
                sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        });
        return sb.append('}').toString();
    }
}
