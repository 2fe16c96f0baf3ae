package org.baid4j.cli;

import org.baid4j.data.download.Proxies;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

import java.util.Map;
import java.util.function.Function;

/**
 * The one check of option values, the same for every command: after parsing and before any work,
 * each option a rule names is checked, given or defaulted, and a bad value is a usage error naming
 * the option, what it takes and what it got.
 */
final class OptionRules {
    /** The largest image side a command renders or caches: 4096 x 4096 RGB is 48 MB an image before any copies. */
    static final int MAX_IMAGE_SIDE = 4096;

    /** A rule: null when the value is fine, else what the option takes. */
    private static final Map<String, Function<Object, String>> RULES = Map.ofEntries(
            Map.entry("--threads", atLeast(1)),
            Map.entry("--workers", atLeast(1)),
            Map.entry("--averaging-frequency", atLeast(1)),
            Map.entry("--batch", atLeast(1)),
            Map.entry("--data-batch", atLeast(1)),
            Map.entry("--bootstrap", atLeast(1)),
            Map.entry("--epochs", atLeast(1)),
            Map.entry("--pretrain-epochs", atLeast(1)),
            Map.entry("--seeds", atLeast(1)),
            Map.entry("--runs", atLeast(1)),
            Map.entry("--trials", atLeast(1)),
            Map.entry("--val-images", atLeast(1)),
            Map.entry("--validate-every", atLeast(1)),
            Map.entry("--checkpoint-every", atLeast(1)),
            Map.entry("--timeout", atLeast(1)),
            Map.entry("--max-bytes", atLeast(1)),
            Map.entry("--retries", atLeast(0)),
            Map.entry("--patience", atLeast(0)),
            Map.entry("--startup-trials", atLeast(0)),
            Map.entry("--ranking-from", atLeast(0)),
            Map.entry("--input-size", OptionRules::inputSize),
            Map.entry("--size", v -> number(v) >= 16 && number(v) <= MAX_IMAGE_SIDE ? null
                    : "a side from 16 to " + MAX_IMAGE_SIDE + " pixels"),
            Map.entry("--sizes", each(OptionRules::inputSize)),
            Map.entry("--batches", each(atLeast(1))),
            Map.entry("--rounds", atLeast(1)),
            Map.entry("--memory-cap", atLeast(1)),
            Map.entry("--ui-port", v -> number(v) >= 1 && number(v) <= 65535 ? null : "a port, 1 to 65535"),
            Map.entry("--lr", v -> number(v) > 0 && Double.isFinite(number(v)) ? null : "a positive number"),
            Map.entry("--dropout", unitInterval()),
            Map.entry("--beta1", unitInterval()),
            Map.entry("--beta2", unitInterval()),
            Map.entry("--weight-decay", finiteAtLeast0()),
            Map.entry("--degradation-weight", finiteAtLeast0()),
            Map.entry("--ranking-weight", finiteAtLeast0()),
            Map.entry("--proxy", OptionRules::proxy));

    private OptionRules() {
    }

    /** Checks the options of the command {@code parsed} runs (its subcommands', when it has them). */
    static void check(ParseResult parsed) {
        ParseResult command = parsed;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        CommandLine cli = command.commandSpec().commandLine();
        for (OptionSpec option : command.commandSpec().options()) {
            Function<Object, String> rule = RULES.get(option.longestName());
            Object value = option.getValue();
            if (rule == null || value == null) {
                continue;
            }
            String wanted = rule.apply(value);
            if (wanted != null) {
                throw new CommandLine.ParameterException(cli, option.longestName() + " takes " + wanted + ", got "
                        + value);
            }
        }
    }

    private static Function<Object, String> finiteAtLeast0() {
        return v -> number(v) >= 0 && Double.isFinite(number(v)) ? null : "a number at least 0";
    }

    private static Function<Object, String> atLeast(long min) {
        return v -> number(v) >= min ? null : "a whole number at least " + min;
    }

    /** A rule for each value of a list option. */
    private static Function<Object, String> each(Function<Object, String> rule) {
        return v -> {
            for (Object one : v instanceof java.util.Collection<?> c ? c : java.util.List.of(v)) {
                String wanted = rule.apply(one);
                if (wanted != null) {
                    return wanted + " (each value)";
                }
            }
            return null;
        };
    }

    private static Function<Object, String> unitInterval() {
        return v -> number(v) >= 0 && number(v) < 1 ? null : "a number from 0 up to, not including, 1";
    }

    private static String inputSize(Object v) {
        double side = number(v);
        int min = org.baid4j.core.model.SaanConfig.MIN_INPUT_SIZE;
        return side >= min && side % 32 == 0 && side <= MAX_IMAGE_SIDE ? null
                : "a multiple of 32 (the network halves it five times), from " + min + " to " + MAX_IMAGE_SIDE;
    }

    private static String proxy(Object v) {
        try {
            Proxies.parse(v.toString());
            return null;
        } catch (IllegalArgumentException e) {
            return "an HTTP proxy URL, http://host:port (" + e.getMessage() + ")";
        }
    }

    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
