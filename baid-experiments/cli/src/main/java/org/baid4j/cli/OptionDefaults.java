package org.baid4j.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.HashMap;
import java.util.Map;

/**
 * A command's option defaults read from a configuration's reference settings, so that the CLI
 * declares none of its own and {@code --help} shows what a run really gets.
 */
abstract class OptionDefaults implements IDefaultValueProvider {
    private final Map<String, Object> defaults;

    @SafeVarargs
    OptionDefaults(Map<String, Object>... parts) {
        Map<String, Object> all = new HashMap<>();
        for (Map<String, Object> part : parts) {
            all.putAll(part);
        }
        this.defaults = Map.copyOf(all);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            Object v = defaults.get(option.longestName());
            return v == null ? null : String.valueOf(v);
        }
        return null;
    }
}
