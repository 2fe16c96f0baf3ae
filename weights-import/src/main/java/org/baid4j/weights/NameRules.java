package org.baid4j.weights;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch-to-DL4J name mapping, read from two tables kept as data beside this class:
 * {@code module-rules.tsv} (module path to graph layer, per checkpoint layout) and
 * {@code parameter-rules.tsv} (parameter name to DL4J key, per layer kind).
 */
public final class NameRules {
    /** Where a torch parameter goes in a DL4J layer of some kind. */
    public record ParameterRule(String dl4jKey, boolean transpose, String skipReason) {
        public boolean skipped() {
            return skipReason != null;
        }
    }

    private record ModuleRule(Pattern pattern, String layerTemplate) {
    }

    private static final NameRules DEFAULT = new NameRules();

    private final Map<CheckpointLayout, List<ModuleRule>> moduleRules = new EnumMap<>(CheckpointLayout.class);
    private final Map<String, Map<String, ParameterRule>> parameterRules = new HashMap<>();

    private NameRules() {
        for (String[] row : table("module-rules.tsv", 3)) {
            moduleRules.computeIfAbsent(CheckpointLayout.ofId(row[0]), k -> new ArrayList<>())
                    .add(new ModuleRule(Pattern.compile(row[1]), row[2]));
        }
        for (String[] row : table("parameter-rules.tsv", 4)) {
            String conversion = row[3];
            ParameterRule rule = conversion.startsWith("skip:")
                    ? new ParameterRule(null, false, conversion.substring(5).trim())
                    : new ParameterRule(row[2], "transpose".equals(conversion), null);
            parameterRules.computeIfAbsent(row[0], k -> new HashMap<>()).put(row[1], rule);
        }
    }

    public static NameRules standard() {
        return DEFAULT;
    }

    /** Graph layers a module of a checkpoint of {@code layout} maps to (several, or none). */
    public List<String> layersFor(CheckpointLayout layout, String modulePath) {
        List<String> layers = new ArrayList<>();
        for (ModuleRule rule : moduleRules.getOrDefault(layout, List.of())) {
            Matcher m = rule.pattern().matcher(modulePath);
            if (m.matches()) {
                layers.add(m.replaceFirst(rule.layerTemplate()));
            }
        }
        return layers;
    }

    /**
     * The way back: the module of a checkpoint of {@code layout} that maps to graph layer {@code layer},
     * or null. Each rule is read backwards (its template's literal part for its pattern's group), and
     * kept only where the rule maps the module found onto {@code layer} again.
     */
    public String moduleFor(CheckpointLayout layout, String layer) {
        for (ModuleRule rule : moduleRules.getOrDefault(layout, List.of())) {
            String template = rule.layerTemplate();
            String pattern = rule.pattern().pattern();
            int group = template.indexOf("$1");
            String candidate;
            if (group < 0) {
                candidate = template.equals(layer) ? pattern.replace("\\.", ".") : null;
            } else {
                String before = template.substring(0, group);
                int open = pattern.indexOf('(');
                candidate = layer.startsWith(before) && open >= 0
                        ? pattern.substring(0, open).replace("\\.", ".") + layer.substring(before.length()) : null;
            }
            if (candidate != null && rule.pattern().matcher(candidate).matches()
                    && rule.pattern().matcher(candidate).replaceFirst(template).equals(layer)) {
                return candidate;
            }
        }
        return null;
    }

    /** The torch parameter name that DL4J key {@code dl4jKey} of a layer of {@code kind} comes from, or null. */
    public String torchParameter(String kind, String dl4jKey) {
        for (Map.Entry<String, ParameterRule> e : parameterRules.getOrDefault(kind, Map.of()).entrySet()) {
            if (dl4jKey.equals(e.getValue().dl4jKey())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The rule for torch parameter {@code name} in a layer of {@code kind}, or null if there is none. */
    public ParameterRule parameter(String kind, String name) {
        return parameterRules.getOrDefault(kind, Map.of()).get(name);
    }

    private static List<String[]> table(String resource, int columns) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream s = NameRules.class.getResourceAsStream(resource)) {
            if (s == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] row = line.split("\t");
                if (row.length != columns) {
                    throw new IllegalStateException(resource + ":" + number + ": expected " + columns + " columns");
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
