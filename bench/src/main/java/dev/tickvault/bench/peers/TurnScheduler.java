package dev.tickvault.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The parent's side of the turns ({@link Turns}): children that were started together each announce their next
 * measured step and wait; when every child has announced one (or ended), the lowest step order gets its turns, child
 * by child in the given order, each child's turn lasting from {@code GO} until it announces its next step (after its
 * untimed work and its quiet wait) or ends. So only one child runs at a time once every child has prepared, and step
 * {@code k} of each system runs back to back with step {@code k} of the others.
 *
 * <p>Each child's output (stdout and stderr merged) goes to its log file, protocol lines included. A child that exits
 * non-zero, or says nothing within the step timeout (its preparation counts as a step), fails the run: every child is
 * killed, the failing child's log goes to stderr and the exception names the child and the step.
 */
final class TurnScheduler {

    /** One child JVM (or any process speaking the protocol) and where its output goes. */
    record Child(String name, Process process, Path log) {}

    private static final String EOF = "\u0000eof";

    private TurnScheduler() {}

    /**
     * Runs the children's steps in turns until every child has ended; returns the turns given, in order, as {@code
     * name: step label}. {@code progress} hears of each turn given.
     */
    static List<String> run(List<Child> children, Duration stepTimeout, Consumer<String> progress) throws Exception {
        List<State> states = new ArrayList<>();
        try {
            for (Child child : children) {
                states.add(new State(child));
            }
            for (State s : states) {
                s.next("its preparation", stepTimeout);
            }
            List<String> given = new ArrayList<>();
            while (true) {
                long lowest = Long.MAX_VALUE;
                for (State s : states) {
                    if (!s.ended) {
                        lowest = Math.min(lowest, s.order);
                    }
                }
                if (lowest == Long.MAX_VALUE) {
                    return given;
                }
                for (State s : states) {
                    if (!s.ended && s.order == lowest) {
                        String label = s.label;
                        given.add(s.child.name() + ": " + label);
                        progress.accept(s.child.name() + ": " + label);
                        s.go();
                        s.next(label, stepTimeout);
                    }
                }
            }
        } catch (Exception | Error e) {
            for (Child child : children) {
                child.process().destroyForcibly();
            }
            throw e;
        } finally {
            for (State s : states) {
                s.pump.join(5_000);
            }
        }
    }

    /** A child as the scheduler sees it: its announced next step, or ended. */
    private static final class State {
        final Child child;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread pump;
        long order;
        String label;
        boolean ended;

        State(Child child) throws IOException {
            this.child = child;
            Writer log = Files.newBufferedWriter(child.log());
            this.pump = Thread.ofPlatform()
                    .daemon()
                    .name("turns-" + child.name())
                    .start(() -> pump(child.process(), log, lines));
        }

        /** Waits for the child's next step, or its end (which must be exit 0); {@code after} names what it ran. */
        void next(String after, Duration timeout) throws Exception {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw failure("said nothing within " + timeout.toSeconds() + " s after " + after + " (hung?)");
            }
            if (line.equals(EOF)) {
                if (!child.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw failure("closed its output after " + after + " but did not exit");
                }
                int rc = child.process().exitValue();
                if (rc != 0) {
                    throw failure("failed (exit " + rc + ") after " + after);
                }
                ended = true;
                return;
            }
            String[] words = line.substring(Turns.PREFIX.length()).split(" ", 3);
            if (words.length < 3 || !words[0].equals("STEP")) {
                throw failure("said " + line + " after " + after + ", not STEP <order> <label>");
            }
            try {
                order = Long.parseLong(words[1]);
            } catch (NumberFormatException e) {
                throw failure("said " + line + " after " + after + ": its step order is not a number");
            }
            label = words[2];
        }

        void go() throws Exception {
            try {
                OutputStream in = child.process().getOutputStream();
                in.write("GO\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                // it died: its end (or its silence) is found by next()
            }
        }

        private IllegalStateException failure(String what) throws InterruptedException {
            child.process().destroyForcibly();
            pump.join(5_000);
            String log;
            try {
                log = Files.readString(child.log());
            } catch (IOException e) {
                log = "(its log " + child.log() + " cannot be read: " + e + ")";
            }
            System.err.println(log);
            return new IllegalStateException(child.name() + " " + what + ": see its log above");
        }
    }

    /** Copies a child's output to its log; protocol lines also go to {@code lines}; then {@link #EOF}. */
    private static void pump(Process process, Writer log, BlockingQueue<String> lines) {
        try (log;
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                log.write(line);
                log.write('\n');
                log.flush();
                if (line.startsWith(Turns.PREFIX)) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lines.add(EOF);
        }
    }
}
