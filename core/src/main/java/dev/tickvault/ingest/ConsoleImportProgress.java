package dev.tickvault.ingest;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar in MiB of the file, drawn on a terminal (normally standard error). */
public final class ConsoleImportProgress implements ImportProgress {

    private final ProgressBar bar;

    public ConsoleImportProgress(String taskName, long totalBytes, PrintStream terminal) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(taskName)
                .setInitialMax(Math.max(totalBytes, 1))
                .setUnit(" MiB", 1L << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(terminal))
                .build();
    }

    /** True when standard output and error are attached to a terminal, so a progress bar is worth drawing. */
    public static boolean terminalAttached() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void update(long bytesRead) {
        bar.stepTo(bytesRead);
    }

    @Override
    public void close() {
        bar.close();
    }
}
