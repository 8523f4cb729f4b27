package dev.tickvault.bench.peers;

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
                    if (!symbols[0].equals(r.getString(1))) {
                        throw new GroundTruth.WrongAnswer("DuckDB: symbol " + r.getString(1));
                    }
                    sum += GroundTruth.rowChecksum(
                            r.getLong(2),
                            r.getLong(3),
                            r.getLong(4),
                            r.getByte(5),
                            r.getLong(6),
                            r.getByte(7),
                            r.getByte(8),
                            r.getLong(9));
                    rows++;
                }
            }
        }
        return new GroundTruth.Hour(rows, sum);
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
