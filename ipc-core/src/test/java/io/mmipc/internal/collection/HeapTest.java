package io.mmipc.internal.collection;

import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The block heap on a real file: classes, limits, reuse, growth and the repair walk. */
@Timeout(60)
class HeapTest {
    private Path dir;
    private SharedFile file;
    private Heap heap;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("heap");
        long s0 = CollectionLayout.MIN_SEGMENT0;
        file = SharedFile.create(dir.resolve("h.mmipc"), "map 'h'", ObjectType.MAP, CollectionLayout.VERSION,
                new long[] {s0, 1}, CollectionLayout.fileSize(1, s0), m -> Heap.init(m, CollectionLayout.CONTROL, 7), null);
        heap = new Heap(file, 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        file.close();
        TestDirs.delete(dir);
    }

    @Test
    void blockClassesArePowersOfTwoFrom64UpToTheLimit() {
        assertEquals(6, CollectionLayout.classFor(1));
        assertEquals(6, CollectionLayout.classFor(64));
        assertEquals(7, CollectionLayout.classFor(65));
        assertEquals(30, CollectionLayout.classFor(1L << 30));
        assertEquals(-1, CollectionLayout.classFor((1L << 30) + 1));
    }

    @Test
    void anEntryAboveTheLimitIsRefusedNamingTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> heap.allocate(CollectionLayout.MAX_BLOCK_BYTES + 1, CollectionLayout.KIND_ENTRY));
        assertEquals("map 'h': entry too large: bytes=1073741825, limit=1073741824 (key + value + 32 bytes of header)",
                e.getMessage());
    }

    @Test
    void freedBlocksAreReusedAndGrowthAddsSegments() {
        long a = heap.allocate(100, CollectionLayout.KIND_ENTRY);
        heap.seal(a);
        heap.free(a);
        assertEquals(a, heap.allocate(120, CollectionLayout.KIND_ENTRY), "same class: reused");
        long big = heap.allocate(CollectionLayout.MIN_SEGMENT0 * 2 + 1, CollectionLayout.KIND_ENTRY);
        assertTrue(big >= CollectionLayout.MIN_SEGMENT0 * 3, "placed in segment 2 (segment 1 is too small)");
        assertEquals(3, file.memory().getLong(CollectionLayout.CONTROL + CollectionLayout.SEGMENTS));
        heap.putLong(big + CollectionLayout.B_DATA, 99);
        assertEquals(99, heap.readLong(big + CollectionLayout.B_DATA));
    }

    @Test
    void rebuildFreesEverythingNotLiveAndIsIdempotent() {
        long live = heap.allocate(64, CollectionLayout.KIND_ENTRY);
        long orphan = heap.allocate(64, CollectionLayout.KIND_ENTRY);
        long orphan2 = heap.allocate(256, CollectionLayout.KIND_ENTRY);
        LiveBlocks set = new LiveBlocks();
        set.add(live);
        heap.rebuild(set);
        heap.rebuild(set);
        Set<Long> reused = new HashSet<>();
        reused.add(heap.allocate(64, CollectionLayout.KIND_ENTRY));
        reused.add(heap.allocate(200, CollectionLayout.KIND_ENTRY));
        assertEquals(Set.of(orphan, orphan2), reused, "the orphans, and only they, are free again");
    }

    @Test
    void sparesAreForgottenAfterARepair() {
        long live = heap.allocate(64, CollectionLayout.KIND_ENTRY);
        heap.seal(live);
        long a = heap.allocate(64, CollectionLayout.KIND_ENTRY);
        heap.seal(a);
        heap.free(a);                                   // kept as this handle's spare
        LiveBlocks set = new LiveBlocks();
        set.add(live);
        heap.rebuild(set);                              // a repair puts every unpublished block on the lists
        file.memory().getAndAddLong(CollectionLayout.CONTROL + CollectionLayout.REPAIRS, 1);
        long first = heap.allocate(64, CollectionLayout.KIND_ENTRY);
        long second = heap.allocate(64, CollectionLayout.KIND_ENTRY);
        assertEquals(a, first);
        assertNotEquals(first, second, "a block is handed out once");
    }

    @Test
    void sparesAreTheHandlesOwnUntilReturned() {
        long a = heap.allocate(64, CollectionLayout.KIND_ENTRY);
        heap.seal(a);
        heap.free(a);
        Heap other = new Heap(file, 0);                 // another process's handle
        assertNotEquals(a, other.allocate(64, CollectionLayout.KIND_ENTRY), "a spare is its handle's only");
        assertTrue(heap.hasSpares());
        heap.returnSpares();
        assertFalse(heap.hasSpares());
        assertEquals(a, other.allocate(64, CollectionLayout.KIND_ENTRY), "returned to the shared free list");
    }
}
