package io.mmipc.examples.pipe;

import io.mmipc.SharedObjects;
import io.mmipc.codec.Codecs;
import io.mmipc.examples.Children;
import io.mmipc.examples.Examples;
import io.mmipc.pipe.PipeConnection;
import io.mmipc.pipe.PipeEnd;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.process.SharedProcess;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

/**
 * Pipes between processes, as with Python's {@code Pipe()}:
 *
 * <ol>
 *   <li><b>A stream with end-of-file.</b> A writer process streams records through a one-way pipe and closes
 *       its end (or just exits). The reader's loop is {@code while (true) recv()} and ends on
 *       {@link EOFException}: no sentinel record, no count agreed in advance.</li>
 *   <li><b>Request and reply.</b> A server process answers requests on a duplex pipe until the client closes
 *       its end; the client measures the round trips.</li>
 * </ol>
 *
 * The reader (and the client) create the pipe holding only their own end: the other end is "awaited", so
 * the reader does not see end-of-file before the writer has even started. With Python's
 * {@code Pipe(duplex=False)} the parent must instead remember to close its copy of the writing end.
 *
 * <p>Run: {@code scripts/example pipe-stream [records] [requests]} (defaults 200000, 20000).
 */
public final class PipeStream {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private PipeStream() {
    }

    /**
     * Runs both parts.
     *
     * @param out  where to print what happens
     * @param args optional record count and request count
     * @return true if every check passed
     * @throws Exception if a process or the pipe fails
     */
    public static boolean run(PrintStream out, String... args) throws Exception {
        int records = Examples.intArg(args, 0, 200_000);
        int requests = Examples.intArg(args, 1, 20_000);
        Examples.removeAbandoned(out);
        out.printf("pipe stream: %d records one way, then %d requests and replies, objects in %s%n", records,
                requests, SharedObjects.defaultDirectory());
        boolean ok = stream(out, records) & requestReply(out, requests);
        out.println(ok ? "summary: ok (every record arrived in order, EOF reached; every request answered)"
                : "summary: CHECK FAILED");
        return ok;
    }

    /** Part 1: records one way, ended by EOF. */
    private static boolean stream(PrintStream out, int records) throws Exception {
        String name = "pipe-stream";
        // Simplex: FIRST receives, SECOND sends. This process holds FIRST only.
        try (Children children = new Children();
             PipeConnection<String> in = SharedPipe.builder(name, Codecs.string()).duplex(false)
                     .create(PipeEnd.FIRST)) {
            long t0 = System.nanoTime();
            SharedProcess<Void> writer = children.start(SharedProcess.builder(() -> write(name, records)), "writer");
            long received = 0;
            long outOfOrder = 0;
            boolean eof = false;
            while (!eof) {
                if (!in.poll(LIMIT)) { // bounded: a message, or EOF, within the limit
                    throw new TimeoutException("no record and no EOF for " + LIMIT);
                }
                try {
                    String record = in.recv();
                    if (!record.startsWith("record " + received + ",")) {
                        outOfOrder++;
                    }
                    received++;
                } catch (EOFException e) {
                    eof = true; // the writer closed its end and everything it sent has been read
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            writer.join(LIMIT);
            boolean ok = received == records && outOfOrder == 0 && writer.exitCode().orElse(-1) == 0;
            out.printf("stream: %d records received in %.2f s (%.0f records/s, writer start included), EOF reached "
                    + "after the last one, out of order=%d, writer exit code %d: %s%n", received, s, received / s,
                    outOfOrder, writer.exitCode().orElse(-1), ok ? "ok" : "CHECK FAILED");
            in.unlink();
            return ok;
        }
    }

    /** The writer process: opens the sending end by name, streams, closes. */
    static void write(String name, int records) throws IOException, InterruptedException {
        try (PipeConnection<String> w = SharedPipe.open(name, Codecs.string(), PipeEnd.SECOND)) {
            for (int i = 0; i < records; i++) {
                w.send("record " + i + ",sensor-" + (i % 16) + "," + (i * 7 % 1000) / 10.0);
            }
        } // closing the end is what the reader sees as EOF, once it has read everything
    }

    /** Part 2: request and reply on a duplex pipe, ended by the client closing its end. */
    private static boolean requestReply(PrintStream out, int requests) throws Exception {
        String name = "pipe-rpc";
        long[] rtt = new long[requests];
        long wrong = 0;
        try (Children children = new Children()) {
            SharedProcess<Long> server;
            try (PipeConnection<Long> client = SharedPipe.builder(name, Codecs.int64()).create(PipeEnd.FIRST)) {
                server = children.start(SharedProcess.builder(() -> serve(name)), "server");
                for (int i = 0; i < requests; i++) {
                    long t = System.nanoTime();
                    client.send((long) i);
                    if (!client.poll(LIMIT)) {
                        throw new TimeoutException("no reply for " + LIMIT);
                    }
                    long reply = client.recv();
                    rtt[i] = System.nanoTime() - t;
                    wrong += reply == (long) i * i ? 0 : 1;
                }
                client.unlink();
            } // the client's end closes here: the server's recv() throws EOFException and it returns
            long served = Examples.result(server, LIMIT);
            // the first round trips include the server's start and its warm-up: leave out the first tenth
            long[] warm = Arrays.copyOfRange(rtt, requests / 10, requests);
            Arrays.sort(warm);
            boolean ok = served == requests && wrong == 0;
            out.printf("request/reply: %d requests answered (server saw EOF and returned served=%d), wrong=%d, round "
                    + "trip %s: %s%n", requests, served, wrong, Examples.percentiles(warm, "µs"),
                    ok ? "ok" : "CHECK FAILED");
            return ok;
        }
    }

    /** The server process: squares every request until the client's end is gone. */
    static long serve(String name) throws IOException, InterruptedException {
        long served = 0;
        try (PipeConnection<Long> conn = SharedPipe.open(name, Codecs.int64(), PipeEnd.SECOND)) {
            while (true) {
                long n;
                try {
                    n = conn.recv();
                } catch (EOFException e) {
                    return served;
                }
                conn.send(n * n);
                served++;
            }
        }
    }
}
