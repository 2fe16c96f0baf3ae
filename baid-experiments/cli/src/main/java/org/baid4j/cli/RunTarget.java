package org.baid4j.cli;

import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.RunSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Where a training command's run goes: a new run (--root, --out), or one to continue (--resume). */
final class RunTarget {
    static final class Start {
        @Option(names = "--root", required = true, paramLabel = "DIR", description = "The BAID root.")
        Path root;

        @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "The run folder to create.")
        Path out;
    }

    @ArgGroup(exclusive = false)
    Start start;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue this run from its last checkpoint;"
            + " with --epochs, to that many epochs in all (other settings are the run's own).")
    Path resume;

    /**
     * For --resume: the run's settings are its config.json's, so an option that would change one is
     * refused, naming it; --epochs is applied (training a finished run on is what it means), and so
     * are {@code harmless} options that do not touch the run (a UI). A finished run resumed without
     * more epochs is refused too, rather than doing nothing; {@code settings} reads the run's
     * config.json as its command knows it. Returns the new epoch count, or null.
     */
    Integer resumeEpochs(CommandSpec spec, RunSettingsReader settings, String... harmless) throws IOException {
        Set<String> allowed = new HashSet<>(Set.of("--epochs"));
        allowed.addAll(List.of(harmless));
        refuseOnResume(spec, resume.resolve("config.json"), "--epochs can be given (to train on)", allowed);
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        RunDirectory dir = new RunDirectory(resume);
        if (!dir.holdsRun()) {
            throw new IllegalArgumentException(resume + ": no run to resume (no config.json)");
        }
        Integer epochs = parsed.hasMatchedOption("--epochs") ? parsed.matchedOptionValue("--epochs", 0) : null;
        RunDirectory.Checkpoint last = dir.readCheckpointState();
        int done = last == null ? 0 : last.epoch() + 1;
        if (epochs != null && epochs <= done) {
            throw new IllegalArgumentException(resume + " has done " + done + " epochs; --epochs " + epochs
                    + " would train none (give more than " + done + ")");
        }
        if (epochs == null && last != null && done >= settings.read(dir.config()).epochs()) {
            throw new IllegalArgumentException(resume + " has finished its " + done + " epochs; to train on, give"
                    + " --epochs N with N more than " + done);
        }
        return epochs;
    }

    /**
     * Refuses every option given with --resume but {@code allowed} (and --resume, --verbose): the
     * settings are {@code settings}'s, and an option silently ignored would be a lie.
     */
    static void refuseOnResume(CommandSpec spec, Path settings, String whatCan, Set<String> allowed) {
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            String name = option.longestName();
            if (!allowed.contains(name) && !name.equals("--resume") && !name.equals("--verbose")) {
                throw new CommandLine.ParameterException(spec.commandLine(), name + " cannot change what is being"
                        + " resumed: " + settings + " holds its settings; with --resume only " + whatCan);
            }
        }
    }

    /** The run section of a run's config.json, read by the configuration the command trains. */
    @FunctionalInterface
    interface RunSettingsReader {
        RunSettings read(Path config) throws IOException;
    }
}
