package dev.tickvault.cli;

import dev.tickvault.store.TickStore;
import dev.tickvault.store.VerifyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickvault verify}: checks every checksum of every file. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check every checksum of every file in the store, without opening it for writing.",
            "Exit 0 when clean; exit " + TickvaultCommand.EXIT_VERIFY_FAILED + " with one line per bad file otherwise."
        })
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Override
    public Integer call() {
        VerifyReport report = TickStore.verify(data.existingStore());
        return print(report, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static int print(VerifyReport report, PrintWriter out, PrintWriter err) {
        String checked = report.filesChecked() + " files, " + report.bytesChecked() + " bytes checked";
        if (report.clean()) {
            out.println("verify: OK: " + checked + ", no problems");
            out.flush();
            return CommandLine.ExitCode.OK;
        }
        for (VerifyReport.Problem problem : report.problems()) {
            out.println("BAD " + problem.file() + ": " + problem.description());
        }
        out.flush();
        err.println("verify: FAILED: " + report.problems().size() + " problems; " + checked);
        err.flush();
        return TickvaultCommand.EXIT_VERIFY_FAILED;
    }
}
