package org.baid4j.cli;

import org.baid4j.training.engine.EarlyStoppingListener;
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

    /** What --resume changes of a run: its epochs and early stopping's patience, each when given. */
    record Resume(Integer epochs, Integer patience) {
    }

    /**
     * For --resume: the run's settings are its config.json's, so an option that would change one is
     * refused, naming it; --epochs and --patience are applied (training a finished or early-stopped
     * run on is what they mean), and so are {@code harmless} options that do not touch the run (a
     * UI). A run resumed that would train nothing is refused, saying what would make it train:
     * finished without more epochs, or stopped early without a larger patience. {@code settings}
     * reads the run's config.json as its command knows it.
     */
    Resume resumeChanges(CommandSpec spec, RunSettingsReader settings, String... harmless) throws IOException {
        Set<String> allowed = new HashSet<>(Set.of("--epochs", "--patience"));
        allowed.addAll(List.of(harmless));
        refuseOnResume(spec, resume.resolve("config.json"), "--epochs and --patience can be given (to train on)", allowed);
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        RunDirectory dir = new RunDirectory(resume);
        if (!dir.holdsRun()) {
            throw new IllegalArgumentException(resume + ": no run to resume (no config.json)");
        }
        Integer epochs = parsed.hasMatchedOption("--epochs") ? parsed.matchedOptionValue("--epochs", 0) : null;
        Integer patience = spec.findOption("--patience") != null && parsed.hasMatchedOption("--patience")
                ? parsed.matchedOptionValue("--patience", 0) : null;
        RunSettings run = settings.read(dir.config());
        RunDirectory.Checkpoint last = dir.readCheckpointState();
        int done = last == null ? 0 : last.epoch() + 1;
        if (epochs != null && epochs <= done) {
            throw new IllegalArgumentException(resume + " has done " + done + " epochs; --epochs " + epochs
                    + " would train none (give more than " + done + ")");
        }
        if (last != null) {
            int newPatience = patience != null ? patience : run.patience();
            long since = EarlyStoppingListener.stoppedEarly(dir.readMetrics().stream().filter(m -> m.epoch() <= last.epoch())
                    .toList(), last.bestEpoch(), run.patience());
            if (since > 0 && newPatience > 0 && newPatience <= since) {
                throw new IllegalArgumentException(resume + " stopped early after epoch " + last.epoch() + ": no better"
                        + " validation in " + since + " validations (--patience " + run.patience() + "); to train on, give"
                        + " --patience with more than " + since + ", or 0 for no early stop"
                        + (done >= (epochs != null ? epochs : run.epochs()) ? ", and --epochs N with N more than " + done : ""));
            }
        }
        if (epochs == null && last != null && done >= run.epochs()) {
            throw new IllegalArgumentException(resume + " has finished its " + done + " epochs; to train on, give"
                    + " --epochs N with N more than " + done);
        }
        return new Resume(epochs, patience);
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
