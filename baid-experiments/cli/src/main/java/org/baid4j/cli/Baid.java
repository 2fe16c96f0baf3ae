package org.baid4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.util.concurrent.Callable;

/**
 * The {@code baid} command line: {@code ./baid <command> ...}. Runnable from an IDE with the same
 * arguments (main class {@code org.baid4j.cli.Baid}).
 */
@Command(name = "baid", mixinStandardHelpOptions = true, version = "baid4j 0.1.0",
        description = "Artistic image aesthetics assessment with SAAN (Yi et al., CVPR 2023) on Deeplearning4j.",
        subcommands = {ScoreCommand.class, ServeCommand.class, ExportCommand.class, ImportWeightsCommand.class, FetchWeightsCommand.class, DownloadCommand.class, CacheCommand.class,
                TrainCommand.class, PretrainCommand.class, DegradeCommand.class, EvaluateCommand.class, AblationCommand.class, SearchCommand.class, BenchCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Baid implements Callable<Integer> {
    /** Exit code when some inputs failed and the rest were processed. */
    public static final int SOME_INPUTS_FAILED = 1;
    /** Exit code for unusable arguments or files (picocli's usage-error code). */
    public static final int USAGE_OR_FILE_ERROR = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());   // no command given
        return USAGE_OR_FILE_ERROR;
    }

    public static void main(String... args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Baid());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            commandLine.getErr().println(prefix(commandLine) + message);
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(run with --verbose for details)");
            }
            return USAGE_OR_FILE_ERROR;
        });
        // A bad argument reads like any other refusal: one line naming the command and the problem.
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println(prefix(command) + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());   // "Did you mean: score?"
            command.getErr().println("(" + command.getCommandSpec().qualifiedName() + " --help lists the options)");
            return USAGE_OR_FILE_ERROR;
        });
        cli.setExecutionStrategy(parsed -> {
            OptionRules.check(parsed);
            int exit = new CommandLine.RunLast().execute(parsed);
            if (System.out.checkError()) {   // PrintStream keeps write errors to itself: ask it
                cli.getErr().println("baid: could not write to stdout (a closed pipe or a full disk?)");
                return exit == 0 ? USAGE_OR_FILE_ERROR : exit;
            }
            return exit;
        });
        return cli.execute(args);
    }

    private static String prefix(CommandLine command) {
        return command.getParent() == null ? "baid: " : "baid " + command.getCommandName() + ": ";
    }
}
