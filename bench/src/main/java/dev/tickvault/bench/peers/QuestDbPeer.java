package dev.tickvault.bench.peers;

import dev.tickvault.bench.BinanceCaptureBook;
import dev.tickvault.bench.BookBenchmark;
import dev.tickvault.sample.SyntheticTradeBatch;
import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlExecutionContext;
import io.questdb.griffin.SqlExecutionContextImpl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * QuestDB embedded: a non-WAL table written through {@link TableWriter}, queried through SQL. Prices and quantities
 * are stored as their exact decimal mantissa (LONG) plus scale (BYTE), as tickvault holds them: exact, with no
 * DOUBLE rounding and no DECIMAL conversion per row.
 */
final class QuestDbPeer implements Peer {

    private static final int COMMIT_ROWS = 100_000;
    static final String DDL = "CREATE TABLE trades (symbol SYMBOL CAPACITY 256 CACHE, ts TIMESTAMP_NS, recv_ts LONG,"
            + " price_m LONG, price_scale BYTE, qty_m LONG, qty_scale BYTE, side BYTE, trade_id LONG)"
            + " TIMESTAMP(ts) PARTITION BY DAY BYPASS WAL";

    static final String BOOK_DDL = "CREATE TABLE book (symbol SYMBOL CAPACITY 256 CACHE, ts TIMESTAMP_NS, recv_ts LONG,"
            + " side BYTE, price_m LONG, price_scale BYTE, qty_m LONG, qty_scale BYTE, first_id LONG, last_id LONG,"
            + " flags BYTE) TIMESTAMP(ts) PARTITION BY DAY BYPASS WAL";

    private final Path root;
    private final String[] symbols;
    private final CairoEngine engine;
    private final SqlExecutionContext ctx;

    QuestDbPeer(Path root, String[] symbols) throws Exception {
        this.root = root;
        this.symbols = symbols;
        Files.createDirectories(root);
        engine = new CairoEngine(new DefaultCairoConfiguration(root.toString()));
        ctx = new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE, null);
        engine.execute(DDL, ctx);
    }

    @Override
    public void ingest(SyntheticTradeBatch t) {
        TableToken token = engine.getTableTokenIfExists("trades");
        try (TableWriter writer = engine.getWriter(token, "bench")) {
            for (int i = 0, n = t.size(); i < n; i++) {
                TableWriter.Row row = writer.newRow(t.tsNanos[i]);
                row.putSym(0, symbols[t.instrument[i]]);
                row.putLong(2, t.recvTsNanos[i]);
                row.putLong(3, t.priceMantissa[i]);
                row.putByte(4, t.priceScale[i]);
                row.putLong(5, t.quantityMantissa[i]);
                row.putByte(6, t.quantityScale[i]);
                row.putByte(7, t.side[i]);
                row.putLong(8, t.tradeId[i]);
                row.append();
                if ((i + 1) % COMMIT_ROWS == 0) {
                    writer.commit();
                }
            }
            writer.commit();
        }
    }

    @Override
    public void ingestBook(BookBenchmark.Merged book, int copies) throws Exception {
        engine.execute(BOOK_DDL, ctx);
        BinanceCaptureBook b = book.rows();
        byte[] seriesOf = book.series();
        String[] names = new String[BookBenchmark.SERIES.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = BookBenchmark.SERIES[i].exchange() + ":" + BookBenchmark.SERIES[i].symbol();
        }
        long rows = 0;
        try (TableWriter writer = engine.getWriter(engine.getTableTokenIfExists("book"), "bench")) {
            for (int copy = 0; copy < copies; copy++) {
                for (int i = 0, n = book.size(); i < n; i++) {
                    TableWriter.Row row = writer.newRow(book.tsNanos(copy, i));
                    row.putSym(0, names[seriesOf[i]]);
                    row.putLong(2, book.recvTsNanos(copy, i));
                    row.putByte(3, b.side[i]);
                    row.putLong(4, b.priceMantissa[i]);
                    row.putByte(5, b.priceScale[i]);
                    row.putLong(6, b.quantityMantissa[i]);
                    row.putByte(7, b.quantityScale[i]);
                    row.putLong(8, book.firstUpdateId(copy, i));
                    row.putLong(9, book.lastUpdateId(copy, i));
                    row.putByte(10, b.flags[i]);
                    row.append();
                    if (++rows % COMMIT_ROWS == 0) {
                        writer.commit();
                    }
                }
            }
            writer.commit();
        }
    }

    @Override
    public long bookBytesOnDisk() throws Exception {
        return allocatedBytes("book");
    }

    @Override
    public long[] bookCounts() throws Exception {
        long[] counts = new long[BookBenchmark.SERIES.length];
        try (RecordCursorFactory f = engine.select("SELECT symbol, count() FROM book GROUP BY symbol", ctx);
                RecordCursor c = f.getCursor(ctx)) {
            Record r = c.getRecord();
            while (c.hasNext()) {
                String symbol = r.getSymA(0).toString();
                for (int i = 0; i < counts.length; i++) {
                    if (symbol.equals(BookBenchmark.SERIES[i].exchange() + ":" + BookBenchmark.SERIES[i].symbol())) {
                        counts[i] = r.getLong(1);
                    }
                }
            }
        }
        return counts;
    }

    /**
     * Allocated bytes of the table's directory ({@code du -sB1}): QuestDB maps column files with room to grow, so
     * their apparent length overstates what the data occupies.
     */
    @Override
    public long bytesOnDisk() throws Exception {
        return allocatedBytes("trades");
    }

    private long allocatedBytes(String tableName) throws Exception {
        TableToken token = engine.getTableTokenIfExists(tableName);
        Path table = root.resolve(token.getDirName());
        Process du = new ProcessBuilder("du", "-sB1", table.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (du.waitFor() != 0) {
            throw new IllegalStateException("du failed: " + output);
        }
        return Long.parseLong(output.trim().split("\\s+")[0]);
    }

    /** The apparent length of the table's files. */
    long apparentBytes() throws Exception {
        TableToken token = engine.getTableTokenIfExists("trades");
        try (Stream<Path> files = Files.walk(root.resolve(token.getDirName()))) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static String literal(long nanos) {
        Instant i = Instant.ofEpochSecond(0, nanos);
        return "'" + i + "'";
    }

    @Override
    public GroundTruth.Hour hour(long fromNanos, long toNanos) throws Exception {
        String sql = "SELECT symbol, ts, recv_ts, price_m, price_scale, qty_m, qty_scale, side, trade_id FROM trades"
                + " WHERE symbol = '" + symbols[0] + "' AND ts >= " + literal(fromNanos) + " AND ts < "
                + literal(toNanos);
        long rows = 0;
        long sum = 0;
        try (RecordCursorFactory f = engine.select(sql, ctx);
                RecordCursor c = f.getCursor(ctx)) {
            Record r = c.getRecord();
            while (c.hasNext()) {
                sum += checkedRowChecksum(r);
                rows++;
            }
        }
        return new GroundTruth.Hour(rows, sum);
    }

    /** One row of (a): its symbol checked, its checksum (a method, see {@link GroundTruth#CHECK_ROWS}). */
    private long checkedRowChecksum(Record r) {
        CharSequence symbol = r.getSymA(0);
        if (!symbols[0].contentEquals(symbol)) {
            throw new GroundTruth.WrongAnswer("QuestDB: symbol " + symbol);
        }
        return GroundTruth.rowChecksum(
                r.getTimestamp(1),
                r.getLong(2),
                r.getLong(3),
                r.getByte(4),
                r.getLong(5),
                r.getByte(6),
                r.getByte(7),
                r.getLong(8));
    }

    @Override
    public Map<Integer, GroundTruth.Bar> bars() throws Exception {
        String sql = "SELECT ts, first(price_m), max(price_m), min(price_m), last(price_m), sum(qty_m) FROM trades"
                + " WHERE symbol = '" + symbols[0] + "' SAMPLE BY 1m ALIGN TO CALENDAR";
        TreeMap<Integer, GroundTruth.Bar> result = new TreeMap<>();
        try (RecordCursorFactory f = engine.select(sql, ctx);
                RecordCursor c = f.getCursor(ctx)) {
            Record r = c.getRecord();
            while (c.hasNext()) {
                int minute = GroundTruth.minuteOfDay(r.getTimestamp(0));
                result.put(
                        minute,
                        new GroundTruth.Bar(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)));
            }
        }
        return result;
    }

    @Override
    public long[] counts() throws Exception {
        Map<String, Integer> index = GroundTruth.indexBySymbol(symbols);
        long[] counts = new long[symbols.length];
        try (RecordCursorFactory f = engine.select("SELECT symbol, count() FROM trades GROUP BY symbol", ctx);
                RecordCursor c = f.getCursor(ctx)) {
            Record r = c.getRecord();
            while (c.hasNext()) {
                counts[index.get(r.getSymA(0).toString())] = r.getLong(1);
            }
        }
        return counts;
    }

    @Override
    public String layout() {
        String apparent;
        try {
            apparent = String.format(java.util.Locale.ROOT, "%,d", apparentBytes());
        } catch (Exception e) {
            apparent = "?";
        }
        return "QuestDB native column files (uncompressed; bytes on disk = allocated blocks by du, apparent file length "
                + apparent + " bytes): " + DDL;
    }

    @Override
    public void close() {
        engine.close();
    }
}
