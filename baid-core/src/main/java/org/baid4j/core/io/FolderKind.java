package org.baid4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of folder baid4j writes, each known by the files it holds, so that a command never
 * takes over a folder of another kind: a sweep's --out that is a training run, a pretraining into
 * a sweep, an evaluation into a run. A folder of the same kind is the command's to judge (resume
 * it, refuse it, or replace its files whole).
 */
public enum FolderKind {
    /** A training run: config.json of a training, metrics.csv, checkpoints. */
    TRAINING_RUN("a training run", "config.json"),
    /** A pretraining run: config.json of a pretraining (it has the losses' section). */
    PRETRAINING_RUN("a pretraining run", "config.json"),
    SWEEP("a sweep", "sweep.json"),
    ABLATION("an ablation", "ablation.md"),
    EXPERIMENT("a GAB pretraining experiment", "experiment.md"),
    EVALUATION("an evaluation", "summary.json");

    private final String description;
    private final String marker;

    FolderKind(String description, String marker) {
        this.description = description;
        this.marker = marker;
    }

    public String description() {
        return description;
    }

    /** The file that marks the kind. */
    public String marker() {
        return marker;
    }

    /** What {@code folder} holds, if it is a folder baid4j wrote; empty for anything else (or nothing). */
    public static Optional<FolderKind> of(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        Path config = folder.resolve("config.json");
        if (Files.isRegularFile(config)) {
            return Optional.of(isPretraining(config) ? PRETRAINING_RUN : TRAINING_RUN);
        }
        for (FolderKind k : List.of(SWEEP, ABLATION, EXPERIMENT, EVALUATION)) {
            if (Files.exists(folder.resolve(k.marker))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses {@code folder} as the output ({@code option}) of a command writing {@code wanted} when
     * it holds another kind; a file where the folder should be is refused too. Nothing is changed.
     */
    public static void refuseOther(Path folder, FolderKind wanted, String option) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(option + " " + folder + ": a file, where " + wanted.description
                    + "'s folder would go; give a folder");
        }
        Optional<FolderKind> found = of(folder);
        if (found.isPresent() && found.get() != wanted) {
            throw new IllegalArgumentException(option + " " + folder + " holds " + found.get().description + " ("
                    + found.get().marker + "), not " + wanted.description + ": give a new folder");
        }
    }

    private static boolean isPretraining(Path config) {
        try {
            JsonNode json = StrictJson.read(config);
            return json.has("losses");
        } catch (IOException | RuntimeException e) {
            return false;   // damaged: the command that reads it as a run names the problem
        }
    }
}
