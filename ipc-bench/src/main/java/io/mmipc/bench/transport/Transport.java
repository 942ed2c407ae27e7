package io.mmipc.bench.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One kind of cross-process message channel (a Unix-domain socket, a Chronicle queue, an mmipc queue...):
 * makes both ends of a {@link Channel}. An implementation is one small class with a public no-argument
 * constructor, registered by name in {@link Transports}; adding a transport to every benchmark, the idle
 * probe and the report is that class plus one line there.
 *
 * <p>Order of events: the benchmark makes a private folder, starts the peer JVM, which calls
 * {@link #serve} (create the files or listening socket in the folder, call {@code ready}, then wait for the
 * client if the transport needs to); once the peer has said it is ready, the benchmark calls {@link #connect}.
 */
public interface Transport {
    /** @return the name used in {@code @Param} values, the peer's command line and the report */
    String name();

    /**
     * @return JVM flags both processes need for this transport (the benchmark's fork gets them through its
     *     {@code @Fork(jvmArgsAppend)}, the peer through {@link PeerProcess}); empty for a flag-free transport
     */
    default List<String> jvmFlags() {
        return List.of();
    }

    /** @return the idle strategies this transport understands, the first being its default */
    List<String> idleModes();

    /**
     * The peer's side: creates the channel in {@code dir}, calls {@code ready} once the client may connect,
     * then returns the connected end.
     *
     * @param dir   a private, empty folder (on {@code /dev/shm} when it exists)
     * @param idle  one of {@link #idleModes()}
     * @param ready to call once {@link #connect} may be called
     * @return the peer's end
     * @throws IOException if the channel cannot be made
     */
    Channel serve(Path dir, String idle, Runnable ready) throws IOException;

    /**
     * The benchmark's side: opens what {@link #serve} made in {@code dir}.
     *
     * @param dir  the folder given to the peer
     * @param idle one of {@link #idleModes()}
     * @return the client's end
     * @throws IOException if it cannot be opened
     */
    Channel connect(Path dir, String idle) throws IOException;
}
