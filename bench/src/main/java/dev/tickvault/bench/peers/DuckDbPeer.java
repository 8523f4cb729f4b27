package dev.tickvault.bench.peers;

import dev.tickvault.bench.BinanceCaptureBook;
import dev.tickvault.bench.BookBenchmark;
import dev.tickvault.sample.SyntheticTradeBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB through JDBC, either its own database file or a zstd Parquet file written by DuckDB's {@code COPY}. Rows go
 * in through the Appender; prices and quantities are BIGINT mantissa + TINYINT scale (exact), timestamps BIGINT
 * nanoseconds (bucketed by integer division). For Parquet, ingest is Appender into an in-memory table, then
 * {@code COPY ... (FORMAT PARQUET, COMPRESSION ZSTD)}, then the table is dropped and queries read the file.
 */
final class DuckDbPeer implements Peer {

    private static final String COLUMNS = "symbol VARCHAR, ts BIGINT, recv_ts BIGINT, price_m BIGINT,"
            + " price_scale TINYINT, qty_m BIGINT, qty_scale TINYINT, side TINYINT, trade_id BIGINT";

    private static final String BOOK_COLUMNS = "symbol VARCHAR, ts BIGINT, recv_ts BIGINT, side TINYINT,"
            + " price_m BIGINT, price_scale TINYINT, qty_m BIGINT, qty_scale TINYINT, first_id BIGINT,"
            + " last_id BIGINT, flags TINYINT";

    private final Path dir;
    private final boolean parquet;
    private final String[] symbols;
    private final Connection connection;
    private final String source;

    DuckDbPeer(Path dir, boolean parquet, String[] symbols) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.parquet = parquet;
        this.symbols = symbols;
        connection = DriverManager.getConnection(parquet ? "jdbc:duckdb:" : "jdbc:duckdb:" + dir.resolve("trades.db"));
        source = parquet ? "read_parquet('" + parquetFile() + "')" : "trades";
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE trades (" + COLUMNS + ")");
        }
    }

    private Path parquetFile() {
        return dir.resolve("trades.parquet");
    }

    @Override
    public void ingest(SyntheticTradeBatch t) throws Exception {
        try (DuckDBAppender a = ((DuckDBConnection) connection).createAppender("main", "trades")) {
            for (int i = 0, n = t.size(); i < n; i++) {
                a.beginRow()
                        .append(symbols[t.instrument[i]])
                        .append(t.tsNanos[i])
                        .append(t.recvTsNanos[i])
                        .append(t.priceMantissa[i])
                        .append(t.priceScale[i])
                        .append(t.quantityMantissa[i])
                        .append(t.quantityScale[i])
                        .append(t.side[i])
                        .append(t.tradeId[i])
                        .endRow();
            }
        }
        try (Statement s = connection.createStatement()) {
            if (parquet) {
                s.execute("COPY trades TO '" + parquetFile() + "' (FORMAT PARQUET, COMPRESSION ZSTD)");
                s.execute("DROP TABLE trades");
            } else {
                s.execute("CHECKPOINT");
            }
        }
    }

    @Override
    public void ingestBook(BookBenchmark.Merged book, int copies) throws Exception {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE book (" + BOOK_COLUMNS + ")");
        }
        BinanceCaptureBook b = book.rows();
        byte[] seriesOf = book.series();
        String[] names = new String[BookBenchmark.SERIES.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = BookBenchmark.SERIES[i].exchange() + ":" + BookBenchmark.SERIES[i].symbol();
        }
        try (DuckDBAppender a = ((DuckDBConnection) connection).createAppender("main", "book")) {
            for (int copy = 0; copy < copies; copy++) {
                for (int i = 0, n = book.size(); i < n; i++) {
                    a.beginRow()
                            .append(names[seriesOf[i]])
                            .append(book.tsNanos(copy, i))
                            .append(book.recvTsNanos(copy, i))
                            .append(b.side[i])
                            .append(b.priceMantissa[i])
                            .append(b.priceScale[i])
                            .append(b.quantityMantissa[i])
                            .append(b.quantityScale[i])
                            .append(book.firstUpdateId(copy, i))
                            .append(book.lastUpdateId(copy, i))
                            .append(b.flags[i])
                            .endRow();
                }
            }
        }
        try (Statement s = connection.createStatement()) {
            if (parquet) {
                s.execute("COPY book TO '" + bookParquetFile() + "' (FORMAT PARQUET, COMPRESSION ZSTD)");
                s.execute("DROP TABLE book");
            } else {
                s.execute("CHECKPOINT");
            }
        }
    }

    private Path bookParquetFile() {
        return dir.resolve("book.parquet");
    }

    /** Parquet: the book file; DuckDB: the whole database file (its trades table is empty when the book is measured). */
    @Override
    public long bookBytesOnDisk() throws Exception {
        return parquet ? Files.size(bookParquetFile()) : bytesOnDisk();
    }

    @Override
    public long[] bookCounts() throws Exception {
        long[] counts = new long[BookBenchmark.SERIES.length];
        String from = parquet ? "read_parquet('" + bookParquetFile() + "')" : "book";
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SELECT symbol, count(*) FROM " + from + " GROUP BY symbol")) {
            while (r.next()) {
                for (int i = 0; i < counts.length; i++) {
                    if (r.getString(1)
                            .equals(BookBenchmark.SERIES[i].exchange() + ":" + BookBenchmark.SERIES[i].symbol())) {
                        counts[i] = r.getLong(2);
                    }
                }
            }
        }
        return counts;
    }

    @Override
    public long bytesOnDisk() throws Exception {
        if (parquet) {
            return Files.size(parquetFile());
        }
        long bytes = Files.size(dir.resolve("trades.db"));
        Path wal = dir.resolve("trades.db.wal");
        return Files.exists(wal) ? bytes + Files.size(wal) : bytes;
    }

    @Override
    public GroundTruth.Hour hour(long fromNanos, long toNanos) throws Exception {
        long rows = 0;
        long sum = 0;
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT symbol, ts, recv_ts, price_m, price_scale, qty_m, qty_scale, side, trade_id FROM " + source
                        + " WHERE symbol = ? AND ts >= ? AND ts < ?")) {
            p.setString(1, symbols[0]);
            p.setLong(2, fromNanos);
            p.setLong(3, toNanos);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    sum += checkedRowChecksum(r);
                    rows++;
                }
            }
        }
        return new GroundTruth.Hour(rows, sum);
    }

    /** One row of (a): its symbol checked, its checksum (a method, see {@link GroundTruth#CHECK_ROWS}). */
    private long checkedRowChecksum(ResultSet r) throws SQLException {
        if (!symbols[0].equals(r.getString(1))) {
            throw new GroundTruth.WrongAnswer("DuckDB: symbol " + r.getString(1));
        }
        return GroundTruth.rowChecksum(
                r.getLong(2),
                r.getLong(3),
                r.getLong(4),
                r.getByte(5),
                r.getLong(6),
                r.getByte(7),
                r.getByte(8),
                r.getLong(9));
    }

    @Override
    public Map<Integer, GroundTruth.Bar> bars() throws Exception {
        TreeMap<Integer, GroundTruth.Bar> result = new TreeMap<>();
        // open/close by trade id: DuckDB has no storage order to rely on inside a group
        try (PreparedStatement p = connection.prepareStatement("SELECT ts // 60000000000 AS m,"
                + " arg_min(price_m, trade_id), max(price_m), min(price_m), arg_max(price_m, trade_id),"
                + " sum(qty_m)::BIGINT FROM " + source + " WHERE symbol = ? GROUP BY m ORDER BY m")) {
            p.setString(1, symbols[0]);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    int minute = GroundTruth.minuteOfDay(r.getLong(1) * GroundTruth.NANOS_PER_MINUTE);
                    result.put(
                            minute,
                            new GroundTruth.Bar(r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6)));
                }
            }
        }
        return result;
    }

    @Override
    public long[] counts() throws Exception {
        Map<String, Integer> index = GroundTruth.indexBySymbol(symbols);
        long[] counts = new long[symbols.length];
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SELECT symbol, count(*) FROM " + source + " GROUP BY symbol")) {
            while (r.next()) {
                counts[index.get(r.getString(1))] = r.getLong(2);
            }
        }
        return counts;
    }

    @Override
    public String layout() {
        return parquet
                ? "Parquet zstd written by DuckDB COPY, queried with read_parquet: " + COLUMNS
                : "DuckDB database file (its default compression): " + COLUMNS;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close DuckDB", e);
        }
    }
}
