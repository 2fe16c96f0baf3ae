package org.baid4j.studies.sweep;

import org.baid4j.core.io.OutputFile;
import org.baid4j.training.engine.RunDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a sweep leaves for a reader: trials.csv, best.json and report.md with its plots, from the sweep's state. */
public final class SweepResults {
    private SweepResults() {
    }

    /** The best complete trial, or null. */
    static SweepTrial best(List<SweepTrial> trials, SweepObjective objective) {
        SweepTrial best = null;
        for (SweepTrial t : trials) {
            if (SweepState.COMPLETE.equals(t.status()) && (best == null || objective.better(t.objective(), best.objective()))) {
                best = t;
            }
        }
        return best;
    }

    static void write(Path sweep, SweepSettings settings, List<SweepTrial> trials) throws IOException {
        SweepSpace space = settings.searchSpace();
        SweepObjective objective = settings.sweepObjective();
        List<String> names = new ArrayList<>(space.ranges().keySet());
        StringBuilder csv = new StringBuilder("trial,").append(String.join(",", names))
                .append(",objective,best_epoch,status,seconds,run_dir\n");
        for (SweepTrial t : trials) {
            csv.append(t.number());
            for (String n : names) {
                csv.append(',').append(t.parameters().get(n));   // full precision: the values trained with
            }
            csv.append(',').append(Double.isNaN(t.objective()) ? "" : String.format(Locale.ROOT, "%.6f", t.objective()))
                    .append(',').append(t.bestEpoch() < 0 ? "" : t.bestEpoch()).append(',').append(t.status())
                    .append(String.format(Locale.ROOT, ",%.1f,", t.seconds())).append(t.runDir()).append('\n');
        }
        OutputFile.write(sweep.resolve("trials.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));

        SweepTrial best = best(trials, objective);
        Map<String, Object> bestJson = new LinkedHashMap<>();
        if (best != null) {
            bestJson.put("trial", best.number());
            bestJson.put("parameters", best.parameters());
            bestJson.put("objective", objective.label());
            bestJson.put("value", best.objective());
            bestJson.put("best_epoch", best.bestEpoch());
            bestJson.put("run_dir", best.runDir());
        }
        OutputFile.write(sweep.resolve("best.json"), RunDirectory.JSON.writeValueAsBytes(bestJson));
        report(sweep, settings, trials, names, best);
    }

    /** Fewer completed trials give no importances: one or two trials have no spread to share out. */
    static final int MIN_TRIALS_FOR_IMPORTANCE = 3;

    private static void report(Path sweep, SweepSettings settings, List<SweepTrial> trials, List<String> names,
                               SweepTrial best) throws IOException {
        SweepSpace space = settings.searchSpace();
        SweepObjective objective = settings.sweepObjective();
        Path plots = sweep.resolve("plots");
        double[] values = trials.stream().mapToDouble(SweepTrial::objective).toArray();
        SweepPlots.objectivePerTrial(values, objective.minimize(), objective.label(), plots.resolve("objective.png"));
        Map<String, double[]> numeric = new LinkedHashMap<>();
        for (String n : names) {
            SweepSpace.Range r = space.ranges().get(n);
            double[] v = trials.stream().mapToDouble(t -> r.choices() != null ? r.choices().indexOf(t.parameters().get(n))
                    : ((Number) t.parameters().get(n)).doubleValue()).toArray();
            numeric.put(n, v);
            SweepPlots.parameterAgainstObjective(n, v, r.choices(), values, objective.label(), r.log(),
                    plots.resolve("param-" + n + ".png"));
        }
        long completed = trials.stream().filter(SweepTrial::complete).count();
        Map<String, Double> importance = completed >= MIN_TRIALS_FOR_IMPORTANCE ? ParameterImportance.of(numeric, values) : Map.of();
        if (!importance.isEmpty()) {
            SweepPlots.importances(importance, plots.resolve("importance.png"));
        }

        StringBuilder md = new StringBuilder("# Sweep ").append(sweep.getFileName()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%s sampler, %d of %d trials, objective %s (%s at each trial's best epoch), "
                        + "seed %d.%n%n", settings.sampler(), trials.size(), settings.trials(), objective.label(),
                objective.minimize() ? "lower is better" : "higher is better", settings.seed()));
        if (best != null) {
            md.append("Best: trial ").append(best.number()).append(", ").append(describe(best.parameters()))
                    .append(String.format(Locale.ROOT, ": %s %.4f (epoch %d), run folder `%s`.%n%n", objective.label(),
                            best.objective(), best.bestEpoch(), best.runDir()));
        }
        md.append("| trial | ").append(String.join(" | ", names)).append(" | ").append(objective.label())
                .append(" | status | minutes |\n|---|").append("---|".repeat(names.size())).append("---|---|---|\n");
        for (SweepTrial t : trials) {
            md.append("| ").append(t.number());
            for (String n : names) {
                md.append(" | ").append(format(t.parameters().get(n)));
            }
            md.append(" | ").append(Double.isNaN(t.objective()) ? "" : String.format(Locale.ROOT, "%.4f", t.objective()))
                    .append(" | ").append(t.status()).append(t.reason() != null ? ": " + t.reason().replace('|', '/') : "")
                    .append(String.format(Locale.ROOT, " | %.1f |%n", t.seconds() / 60));
        }
        md.append("\n![objective per trial](plots/objective.png)\n\n");
        for (String n : names) {
            md.append("![").append(n).append("](plots/param-").append(n).append(".png)\n");
        }
        md.append("\n## Parameter importance\n\n");
        if (importance.isEmpty()) {
            md.append(String.format(Locale.ROOT, "Not computed: %d completed trial%s, and a parameter's share of the"
                    + " objective's variance needs at least %d to compare.%n", completed, completed == 1 ? "" : "s",
                    MIN_TRIALS_FOR_IMPORTANCE));
            OutputFile.write(sweep.resolve("report.md"), md.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        md.append("![importance](plots/importance.png)\n\n");
        importance.forEach((n, v) -> md.append(String.format(Locale.ROOT, "- %s: %.2f%n", n, v)));
        md.append("\nEach parameter's share of the objective's variance explained by that parameter alone (trials grouped"
                + " by its value, numbers into four equal-count bins; one-way eta squared, scaled to sum to 1). Optuna's"
                + " default is fANOVA; with a dozen trials either is a rough guide.\n");
        OutputFile.write(sweep.resolve("report.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String describe(Map<String, Object> parameters) {
        List<String> parts = new ArrayList<>();
        parameters.forEach((n, v) -> parts.add(n + " " + format(v)));
        return String.join(", ", parts);
    }

    static String format(Object v) {
        if (v instanceof Double d) {
            return Math.abs(d) < 1e-2 && d != 0 ? String.format(Locale.ROOT, "%.3e", d) : String.format(Locale.ROOT, "%.4f", d);
        }
        return String.valueOf(v);
    }
}
