package org.baid4j.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one import did: each checkpoint entry loaded (and where to), each one left out and why,
 * and each graph parameter the checkpoint did not fill. Nothing is left out silently.
 */
public final class ImportReport {
    /** One checkpoint entry that was not loaded. */
    public record Skipped(String key, String reason) {
    }

    private final Path file;
    private final CheckpointLayout layout;
    private final Map<String, List<String>> loaded = new LinkedHashMap<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<String> notFilled = new ArrayList<>();

    ImportReport(Path file, CheckpointLayout layout) {
        this.file = file;
        this.layout = layout;
    }

    void loaded(String key, String dl4jParam) {
        loaded.computeIfAbsent(key, k -> new ArrayList<>()).add(dl4jParam);
    }

    void skipped(String key, String reason) {
        skipped.add(new Skipped(key, reason));
    }

    void notFilled(String dl4jParam) {
        notFilled.add(dl4jParam);
    }

    public Path file() {
        return file;
    }

    public CheckpointLayout layout() {
        return layout;
    }

    /** Checkpoint key to the graph parameters it was copied into. */
    public Map<String, List<String>> loaded() {
        return Collections.unmodifiableMap(loaded);
    }

    public List<Skipped> skipped() {
        return Collections.unmodifiableList(skipped);
    }

    /** Graph parameters (including BN statistics) that this checkpoint did not set. */
    public List<String> notFilled() {
        return Collections.unmodifiableList(notFilled);
    }

    public int loadedParameterCount() {
        return loaded.values().stream().mapToInt(List::size).sum();
    }

    /** A few lines for a log or a terminal: counts, and the reasons for what was left out with examples. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s (%s): loaded %d entries into %d graph parameters%n", file.getFileName(),
                layout.id(), loaded.size(), loadedParameterCount()));
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (Skipped s : skipped) {
            byReason.computeIfAbsent(s.reason(), r -> new ArrayList<>()).add(s.key());
        }
        byReason.forEach((reason, keys) -> sb.append(String.format("  not loaded: %d entries, %s (e.g. %s)%n",
                keys.size(), reason, examples(keys))));
        if (!notFilled.isEmpty()) {
            sb.append(String.format("  graph parameters this checkpoint does not set: %d (e.g. %s)%n", notFilled.size(),
                    examples(notFilled)));
        }
        return sb.toString();
    }

    private static String examples(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(3, items.size()))) + (items.size() > 3 ? ", ..." : "");
    }

    @Override
    public String toString() {
        return summary();
    }
}
