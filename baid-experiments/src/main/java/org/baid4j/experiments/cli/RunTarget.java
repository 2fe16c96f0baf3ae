package org.baid4j.experiments.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue this run from its last checkpoint.")
    Path resume;
}
