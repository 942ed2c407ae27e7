package io.mmipc.bench.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contended sync benchmark's peer starts through the library's launcher, runs, and stops when told. */
@Timeout(120)
class SyncPeerTest {
    @Test
    void contendedSessionStartsAndStopsItsPeer() throws Exception {
        try (SyncBenchSession s = new SyncBenchSession(SyncOp.Kind.values()[0], true)) {
            for (int i = 0; i < 1000; i++) {
                s.op.run();
            }
        }
    }
}
