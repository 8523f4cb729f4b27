package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The side-by-side table: the JIT compilers' share of a first ingest run, per system, with its ratio. */
class PeerReportTest {

    @Test
    void showsTheJitCompilerThreadsOfEachFirstIngestRunAndTheirRatio() {
        Map<String, Properties> results = new LinkedHashMap<>();
        results.put("tickvault", props("cpu.ingest.first", "300.0", "cpu.ingest.first.jit", "150.0"));
        results.put(
                "questdb",
                props(
                        "cpu.ingest.first", "320.0",
                        "cpu.ingest.first.jit", "60.0",
                        "cpu.book.ingest.first.jit", "40.0"));

        String table = PeerBenchmark.report(results, 10, 1, 2, null, true);

        assertThat(table)
                .contains("| ingest, first run: CPU time of the whole process per row (ns; all threads, JIT and GC)"
                        + " | 300 | 320 | 0.94 |")
                .contains("| ingest, first run: of it, the JIT compiler threads (C1 and C2) per row (ns; /proc, 10 ms"
                        + " ticks) | 150 | 60.00 | 2.50 |")
                .contains("| book ingest, first run: of it, the JIT compiler threads per level update (ns) | — |"
                        + " 40.00 | — |");
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
