package org.baid4j.studies.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.baid4j.core.io.StrictJson;
import org.baid4j.core.model.HeadActivation;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.training.engine.RunSettings;
import org.baid4j.training.saan.TrainingConfig;
import org.baid4j.tuning.NamedSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a SAAN sweep searches over: named training settings, each a float (linear or log), an
 * integer or a categorical range. The study's default is the reproduction's three parameters
 * around the reference's values and the ones it found. As JSON (a {@code --space} file):
 * <pre>
 * {"lr": {"type": "float", "low": 1e-6, "high": 1e-3, "log": true},
 *  "dropout": {"type": "float", "low": 0, "high": 0.6},
 *  "head-activation": {"type": "categorical", "choices": ["relu", "leaky-relu", "elu", "gelu"]}}
 * </pre>
 */
public final class SweepSpace {
    /** The settings a sweep can vary, and the kind of range each takes. */
    public static final Map<String, String> PARAMETERS = Map.of("lr", "float", "dropout", "float", "weight-decay", "float",
            "beta1", "float", "head-activation", "categorical", "batch", "int");

    /** One parameter's range. */
    public record Range(String type, double low, double high, boolean log, List<String> choices) {
    }

    private final Map<String, Range> ranges;

    private SweepSpace(Map<String, Range> ranges) {
        this.ranges = ranges;
    }

    /** Learning rate log-uniform in [1e-6, 1e-3], head dropout in [0, 0.6], head activation among the four. */
    public static SweepSpace studyDefault() {
        Map<String, Range> r = new LinkedHashMap<>();
        r.put("lr", new Range("float", 1e-6, 1e-3, true, null));
        r.put("dropout", new Range("float", 0, 0.6, false, null));
        r.put("head-activation", new Range("categorical", 0, 0, false,
                List.of("relu", "leaky-relu", "elu", "gelu")));
        return new SweepSpace(r);
    }

    /** A --space file, read strictly ({@link StrictJson}): every problem an error naming the file and the parameter. */
    public static SweepSpace read(Path file) throws IOException {
        JsonNode json;
        try {
            json = StrictJson.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage().replace(": damaged JSON (", ": not a JSON search space ("));
        }
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    public static SweepSpace fromJson(JsonNode json) {
        if (json == null || !json.isObject() || json.isEmpty()) {
            throw new IllegalArgumentException("a search space is a JSON object of at least one parameter");
        }
        Map<String, Range> r = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            r.put(e.getKey(), range(e.getKey(), e.getValue()));
        }
        return new SweepSpace(r);
    }

    private static Range range(String name, JsonNode p) {
        String kind = PARAMETERS.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("unknown parameter '" + name + "' (known: " + String.join(", ",
                    new java.util.TreeSet<>(PARAMETERS.keySet())) + ")");
        }
        if (!p.isObject()) {
            throw new IllegalArgumentException(name + ": a range is an object such as {\"type\": \"" + kind + "\", ...}, got " + p);
        }
        String type = p.path("type").isTextual() ? p.get("type").textValue() : String.valueOf(p.get("type"));
        if (!type.equals(kind)) {
            throw new IllegalArgumentException(name + " takes a range of type \"" + kind + "\", not " + (p.has("type")
                    ? "\"" + type + "\"" : "none"));
        }
        java.util.Set<String> fields = type.equals("categorical") ? java.util.Set.of("type", "choices")
                : java.util.Set.of("type", "low", "high", "log");
        for (Iterator<String> f = p.fieldNames(); f.hasNext(); ) {
            String field = f.next();
            if (!fields.contains(field)) {
                throw new IllegalArgumentException(name + ": unknown field \"" + field + "\" (a " + type + " range takes "
                        + String.join(", ", new java.util.TreeSet<>(fields)) + ")");
            }
        }
        if (type.equals("categorical")) {
            JsonNode given = p.path("choices");
            if (!given.isArray() || given.isEmpty()) {
                throw new IllegalArgumentException(name + ": \"choices\" takes a list of at least one");
            }
            List<String> choices = new ArrayList<>();
            for (JsonNode c : given) {
                if (!c.isTextual()) {
                    throw new IllegalArgumentException(name + ": each choice is a string, got " + c);
                }
                if (choices.contains(c.textValue())) {
                    throw new IllegalArgumentException(name + ": \"" + c.textValue() + "\" is given twice");
                }
                choices.add(c.textValue());
            }
            choices.forEach(HeadActivation::parse);   // each must be a head activation
            return new Range(type, 0, 0, false, List.copyOf(choices));
        }
        if (!p.has("low") || !p.has("high")) {
            throw new IllegalArgumentException(name + ": needs \"low\" and \"high\"");
        }
        double low = StrictJson.number(p, "low", name);
        double high = StrictJson.number(p, "high", name);
        boolean log = StrictJson.bool(p, "log", false, name);
        if (type.equals("int") ? low > high : !(low < high)) {
            throw new IllegalArgumentException(name + ": empty range [" + low + ", " + high + "]");
        }
        if (log && low <= 0) {
            throw new IllegalArgumentException(name + ": a log range must be above 0, got [" + low + ", " + high + "]");
        }
        if (type.equals("int") && (low != Math.rint(low) || high != Math.rint(high))) {
            throw new IllegalArgumentException(name + ": integer bounds, got [" + low + ", " + high + "]");
        }
        for (double end : new double[]{low, high}) {
            String refused = refusedByTraining(name, end);
            if (refused != null) {
                throw new IllegalArgumentException(name + ": [" + low + ", " + high + "] reaches " + end
                        + ", which training refuses (" + refused + ")");
            }
        }
        return new Range(type, low, high, log, null);
    }

    /**
     * Why a training configuration with {@code value} for {@code name} is refused, by the records
     * that hold it (the one place their limits live); null when it is fine.
     */
    private static String refusedByTraining(String name, double value) {
        try {
            switch (name) {
                case "lr" -> OptimiserConfig.reference().withLearningRate(value);
                case "weight-decay" -> OptimiserConfig.reference().withWeightDecay(value);
                case "beta1" -> OptimiserConfig.reference().withBetas(value, OptimiserConfig.reference().beta2());
                case "dropout" -> SaanConfig.reference().withDropout(value);
                case "batch" -> new RunSettings(1, (int) value, 0, 1, 1, 0);
                default -> {
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public Map<String, Range> ranges() {
        return ranges;
    }

    /** The JSON form, as a --space file writes it. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        ranges.forEach((name, r) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("type", r.type());
            if (r.choices() != null) {
                p.put("choices", r.choices());
            } else {
                p.put("low", r.low());
                p.put("high", r.high());
                if (r.log()) {
                    p.put("log", true);
                }
            }
            out.put(name, p);
        });
        return out;
    }

    /** The space for Arbiter. */
    public NamedSpace arbiterSpace() {
        Map<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();
        ranges.forEach((name, r) -> leaves.put(name, switch (r.type()) {
            case "categorical" -> new DiscreteParameterSpace<>(r.choices());
            case "int" -> new IntegerParameterSpace((int) r.low(), (int) r.high());
            default -> r.log() ? new ContinuousParameterSpace(new LogUniformDistribution(r.low(), r.high()))
                    : new ContinuousParameterSpace(r.low(), r.high());
        }));
        return new NamedSpace(leaves);
    }

    /** {@code base} with a candidate's values. */
    public static TrainingConfig apply(TrainingConfig base, Map<String, Object> values) {
        TrainingConfig c = base;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            TrainingConfig.Builder b = c.toBuilder();
            c = switch (e.getKey()) {
                case "lr" -> b.optLearningRate(((Number) v).doubleValue()).build();
                case "weight-decay" -> b.optWeightDecay(((Number) v).doubleValue()).build();
                case "beta1" -> b.optBetas(((Number) v).doubleValue(), c.optimiser().beta2()).build();
                case "dropout" -> b.optDropout(((Number) v).doubleValue()).build();
                case "head-activation" -> b.optHeadActivation(HeadActivation.parse((String) v)).build();
                case "batch" -> b.optBatch(((Number) v).intValue()).build();
                default -> throw new IllegalArgumentException("unknown parameter " + e.getKey());
            };
        }
        return c;
    }
}
