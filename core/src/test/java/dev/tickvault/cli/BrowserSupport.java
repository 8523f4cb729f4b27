package dev.tickvault.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/browser/dashboard-check.mjs} (Playwright driving Debian's chromium) against a URL. Locally a
 * machine without node or chromium skips the browser tests; under CI ({@code CI=true}) their absence is a failure,
 * so the dashboard test can't silently not run.
 */
final class BrowserSupport {

    static final Path SCRIPT_DIR = Path.of("src/test/browser");
    static final Path ARTIFACTS = Path.of("target/artifacts");

    private BrowserSupport() {}

    static String chromium() {
        String configured = System.getenv("CHROMIUM");
        for (String candidate : new String[] {configured, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** Skips (locally) or fails (CI) when node or chromium is missing; installs playwright-core once. */
    static void requireBrowser() throws IOException, InterruptedException {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean node = run(List.of("node", "--version"), Path.of("."), 30).exitCode == 0;
        String chromium = chromium();
        if (!node || chromium == null) {
            String what = (!node ? "node " : "") + (chromium == null ? "chromium" : "");
            if (ci) {
                fail("browser test needs " + what + " (.ci/run installs chromium with apt-get)");
            }
            assumeTrue(false, "browser test skipped: no " + what);
        }
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            Result install = run(
                    List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"),
                    SCRIPT_DIR,
                    300);
            if (install.exitCode != 0) {
                fail("npm ci of playwright-core failed: " + install.output);
            }
        }
    }

    record Result(int exitCode, String output) {}

    static Result checkDashboard(String url, Path screenshot) throws IOException, InterruptedException {
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        return run(
                List.of(
                        "node",
                        "dashboard-check.mjs",
                        url,
                        screenshot.toAbsolutePath().toString()),
                SCRIPT_DIR,
                240);
    }

    static Result run(List<String> command, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tickvault-browser", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        String chromium = chromium();
        if (chromium != null) {
            builder.environment().put("CHROMIUM", chromium);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return done ? new Result(process.exitValue(), output) : new Result(124, "timed out: " + output);
    }
}
