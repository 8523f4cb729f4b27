package dev.tickvault.cli;

import dev.tickvault.store.StoreStats;
import dev.tickvault.store.StoreStats.PartitionStats;
import dev.tickvault.store.TickStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code tickvault stats}: rows and bytes per table and partition. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = {
            "Print rows, bytes on disk and bytes per row for every partition (table, exchange, symbol, UTC day),"
                    + " a total per table and a grand total."
        })
final class StatsCommand implements Callable<Integer> {

    private static final String[] HEADINGS = {
        "TABLE", "EXCHANGE", "SYMBOL", "DAY", "ROWS", "BYTES", "BYTES/ROW", "FILES"
    };
    /** Numeric columns are right-aligned. */
    private static final boolean[] RIGHT_ALIGNED = {false, false, false, false, true, true, true, true};

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Override
    public Integer call() {
        StoreStats stats;
        try (TickStore store = TickStore.openReadOnly(data.existingStore())) {
            stats = store.stats();
        }
        print(stats, spec.commandLine().getOut());
        return CommandLine.ExitCode.OK;
    }

    static void print(StoreStats stats, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        Map<String, long[]> perTable = new TreeMap<>();
        for (PartitionStats partition : stats.partitions()) {
            rows.add(row(
                    partition.table(),
                    partition.exchange(),
                    partition.symbol(),
                    partition.day(),
                    partition.rows(),
                    partition.bytesOnDisk(),
                    partition.files()));
            long[] total = perTable.computeIfAbsent(partition.table(), t -> new long[3]);
            total[0] += partition.rows();
            total[1] += partition.bytesOnDisk();
            total[2] += partition.files();
        }
        List<String[]> totals = new ArrayList<>();
        for (Map.Entry<String, long[]> table : perTable.entrySet()) {
            long[] total = table.getValue();
            totals.add(row(table.getKey(), "(all)", "(all)", "(total)", total[0], total[1], total[2]));
        }
        long allFiles = perTable.values().stream().mapToLong(t -> t[2]).sum();
        totals.add(row("(all)", "", "", "(total)", stats.totalRows(), stats.totalBytesOnDisk(), allFiles));

        List<String[]> table = new ArrayList<>();
        table.add(HEADINGS);
        table.addAll(rows);
        table.addAll(totals);
        int[] widths = new int[HEADINGS.length];
        for (String[] cells : table) {
            for (int i = 0; i < cells.length; i++) {
                widths[i] = Math.max(widths[i], cells[i].length());
            }
        }
        for (int r = 0; r < table.size(); r++) {
            if (r == 1 + rows.size()) {
                printRule(out, widths);
            }
            printRow(out, table.get(r), widths);
        }
        out.println();
        out.println("write-ahead log: " + stats.walBytes() + " bytes; rows in memory not yet in partitions: "
                + stats.memtableRows());
        out.flush();
    }

    private static String[] row(
            String table, String exchange, String symbol, String day, long rows, long bytes, long files) {
        String bytesPerRow = rows == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) bytes / rows);
        return new String[] {
            table, exchange, symbol, day, Long.toString(rows), Long.toString(bytes), bytesPerRow, Long.toString(files)
        };
    }

    private static void printRow(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(RIGHT_ALIGNED[i] ? pad + cells[i] : cells[i] + pad);
        }
        out.println(line.toString().stripTrailing());
    }

    private static void printRule(PrintWriter out, int[] widths) {
        int length = 2 * (widths.length - 1);
        for (int width : widths) {
            length += width;
        }
        out.println("-".repeat(length));
    }
}
