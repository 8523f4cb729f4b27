package dev.tickvault.cli;

import dev.tickvault.ingest.InputFormatException;
import dev.tickvault.ingest.MalformedLineException;
import dev.tickvault.store.StorageException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code tickvault} command line. Exit codes: 0 success, 1 runtime failure, 2 usage error (bad flag or value),
 * 3 {@code verify} found problems.
 */
@Command(
        name = "tickvault",
        mixinStandardHelpOptions = true,
        version = "tickvault 0.1.0-SNAPSHOT",
        description = "Market-data recorder and embedded tick database.",
        subcommands = {
            DemoCommand.class,
            ImportCommand.class,
            QueryCommand.class,
            BarsCommand.class,
            BookCommand.class,
            RecordCommand.class,
            ReplayCommand.class,
            ServeCommand.class,
            StatsCommand.class,
            VerifyCommand.class,
            ArchiveCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:runtime failure (I/O, corrupt store, malformed input with --strict)",
            "2:usage error (unknown flag, bad value, bad exchange or symbol name)",
            "3:verify found problems"
        })
public final class TickvaultCommand implements Callable<Integer> {

    /** Exit code of {@code verify} when the store has problems. */
    public static final int EXIT_VERIFY_FAILED = 3;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            // Logs go to stderr at WARN so that query output on stdout stays clean.
            System.setProperty("logback.configurationFile", "dev/tickvault/cli/logback-cli.xml");
        }
        boolean longLived = args.length > 0 && (args[0].equals("serve") || args[0].equals("demo"));
        if (longLived && System.getProperty("tickvault.decoderWarmUp") == null) {
            // A server's first request comes a while after it opened the (read-only) store: warm the decoders
            // meanwhile (see DecoderWarmUp; by default only writable stores are warmed). One-shot commands read at
            // once, where a warm-up beside them would only slow them.
            System.setProperty("tickvault.decoderWarmUp", "true");
        }
        System.exit(newCommandLine().execute(args));
    }

    /** A configured command line (used by {@link #main} and by tests, which redirect its out and err). */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new TickvaultCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        return commandLine;
    }

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command: demo, record, replay, serve, import, query, bars, book, stats or verify");
    }

    /** Prints a usage error as one line plus a pointer to {@code --help}; exit 2. */
    private static final class UsageErrorHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine commandLine = e.getCommandLine();
            PrintWriter err = commandLine.getErr();
            String name = commandLine.getCommandSpec().qualifiedName();
            err.println(name + ": " + e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    /**
     * Failures the user can act on (bad input files, I/O, a corrupt store) print one line; anything else is a bug and
     * prints its stack trace. Exit 1 either way.
     */
    private static final class FailureHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
            PrintWriter err = commandLine.getErr();
            String name = commandLine.getCommandSpec().qualifiedName();
            if (isUserFacing(e)) {
                err.println(name + ": error: " + e.getMessage());
            } else {
                err.println(name + ": internal error: " + e);
                e.printStackTrace(err);
            }
            err.flush();
            return commandLine.getCommandSpec().exitCodeOnExecutionException();
        }

        private static boolean isUserFacing(Exception e) {
            return e instanceof CliFailure
                    || e instanceof StorageException
                    || e instanceof UncheckedIOException
                    || e instanceof InputFormatException
                    || e instanceof MalformedLineException
                    || e instanceof UnsupportedOperationException
                    || e instanceof IllegalArgumentException;
        }
    }
}
