package io.mmipc.bench.transport;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The peer process of every benchmark: {@code PeerMain <transport[:idle]> <folder> <parent-pid>}. Serves the
 * transport's channel in the folder, prints {@link #READY} on its own line once the client may connect, then
 * answers messages as {@link Protocol} says until {@link Protocol#STOP} or end-of-stream.
 *
 * <p>It exits on its own if the parent process dies (checked every {@value #WATCHDOG_MILLIS} ms), so a killed
 * benchmark leaves no peer behind. {@link PeerProcess} starts it.
 */
public final class PeerMain {
    /** The readiness line on standard output. */
    public static final String READY = "PEER-READY";
    static final long WATCHDOG_MILLIS = 500;

    private PeerMain() {
    }

    /**
     * @param args transport spec, folder, parent process id
     * @throws Exception if the channel fails; the process then exits non-zero
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: PeerMain <transport[:idle]> <folder> <parent-pid>");
            System.exit(2);
        }
        Transports.Spec spec = Transports.parse(args[0]);
        watchParent(Long.parseLong(args[2]));
        try (Channel channel = spec.transport().serve(Path.of(args[1]), spec.idle(), PeerMain::announce)) {
            serve(channel);
        } catch (EOFException e) {
            // the client closed its end without STOP: nothing more to do
        }
        System.exit(0);
    }

    /** Prints {@link #READY}: call once the peer's channel can be opened. */
    public static void announce() {
        System.out.println(READY);
        System.out.flush();
    }

    /** Echo, count, acknowledge, until STOP. */
    static void serve(Channel channel) throws Exception {
        ByteBuffer in = Protocol.receiveBuffer();
        ByteBuffer ack = ByteBuffer.allocateDirect(Protocol.ACK_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        long count = 0;
        while (true) {
            channel.receive(in);
            byte op = in.get(0);
            if (op == Protocol.ECHO) {
                channel.send(in);
            } else if (op == Protocol.SINK) {
                count++;
            } else if (op == Protocol.ACK) {
                ack.clear();
                ack.putLong(0, count + 1);
                channel.send(ack);
                count = 0;
            } else if (op == Protocol.STOP) {
                return;
            } else {
                throw new IllegalStateException("unknown operation: op=" + op + ", length=" + in.limit());
            }
        }
    }

    /**
     * Starts a daemon thread that halts this JVM once {@code parentPid} is gone.
     *
     * @param parentPid the process that started this one
     */
    public static void watchParent(long parentPid) {
        Thread t = new Thread(() -> {
            ProcessHandle parent = ProcessHandle.of(parentPid).orElse(null);
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(WATCHDOG_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("peer: parent " + parentPid + " is gone, exiting");
            Runtime.getRuntime().halt(3);
        }, "parent-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
