package dev.tickvault.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickvault query}: a group of read commands. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "Read data back from the store.",
        subcommands = {
            QueryTradesCommand.class,
            QueryBboCommand.class,
            QueryGapsCommand.class,
            QueryVendorBarsCommand.class
        })
final class QueryCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: trades, bbo or gaps");
    }
}
