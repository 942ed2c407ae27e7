package io.mmipc.internal.collection;

import io.mmipc.ObjectFileException;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static io.mmipc.internal.collection.CollectionLayout.*;

/**
 * The segments of one stripe's heap (see {@link CollectionLayout}): where each starts in the heap's address
 * space, the mapping of each, mapped lazily the first time a block in it is reached, and the creation of the
 * next one when the heap fills (complete under a temporary name, linked, then counted). The heap resolves
 * every access through it.
 */
final class HeapSegments {
    private final SharedFile file;
    private final MappedMemory main;
    private final long segment0;
    /** The stripe, its control block's offset, and the main-file offset of its segment 0. */
    private final int stripe;
    private final int ctl;
    private final long heap0;
    /** {@code base[k]}: heap offset where segment {@code k} starts. */
    private final long[] base = new long[MAX_SEGMENTS + 1];
    private volatile MappedMemory[] segments = new MappedMemory[MAX_SEGMENTS];

    HeapSegments(SharedFile file, int stripe) {
        this.file = file;
        this.main = file.memory();
        this.segment0 = file.param(P_SEGMENT0);
        this.stripe = stripe;
        this.ctl = CollectionLayout.control(stripe);
        this.heap0 = CollectionLayout.heap0((int) file.param(P_STRIPES), segment0, stripe);
        for (int k = 0; k < MAX_SEGMENTS; k++) {
            base[k + 1] = base[k] + segmentBytes(segment0, k);
        }
        MappedMemory[] s = segments;
        s[0] = main;
    }

    /** @return the segment holding heap offset {@code h}, or -1 if none can */
    int segmentOf(long h) {
        if (h < segment0) {
            return h >= 0 ? 0 : -1;
        }
        for (int k = 1; k < MAX_SEGMENTS; k++) {
            if (h < base[k + 1]) {
                return k;
            }
        }
        return -1;
    }

    /** @return the mapping of segment {@code k}, mapping it if it exists; null if it does not exist (yet) */
    MappedMemory segment(int k) {
        if (k == 0) {
            return main;   // segment 0 is in the main file: no volatile read of the table
        }
        MappedMemory m = segments[k];
        return m != null ? m : mapSegment(k);
    }

    /** @return where heap offset {@code h} of segment {@code k} is in that segment's mapping */
    long local(int k, long h) {
        return k == 0 ? heap0 + h : S_DATA + (h - base[k]);
    }

    /** @return the heap offset where segment {@code k} ends */
    long end(int k) {
        return base[k + 1];
    }

    /** @return the heap offset past the last possible segment */
    long limit() {
        return base[MAX_SEGMENTS];
    }

    private Path segmentPath(int k) {
        Path p = file.path();
        return p.resolveSibling(p.getFileName() + ".seg-" + k + (stripe == 0 ? "" : ".s" + stripe));
    }

    /** Maps segment {@code k} if the control block says it exists; else null. */
    private synchronized MappedMemory mapSegment(int k) {
        MappedMemory m = segments[k];
        if (m != null) {
            return m;
        }
        // Acquire: pairs with the creator's release of the count, stored once the file was complete and linked.
        if (k <= 0 || k >= main.getLongAcquire(ctl + SEGMENTS)) {
            return null;
        }
        Path p = segmentPath(k);
        long bytes = segmentBytes(segment0, k);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            SharedFile.check(ch.size() == S_DATA + bytes, p, "heap segment has the wrong size: expected="
                    + (S_DATA + bytes) + ", actual=" + ch.size());
            m = MappedMemory.map(ch, S_DATA + bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(file.label() + ": cannot map heap segment " + k + " (" + p + "): " + e, e);
        }
        try {
            checkSegment(m, k, bytes, p);
        } catch (ObjectFileException e) {
            m.close();
            throw new UncheckedIOException(file.label() + ": " + e.getMessage(), e);
        }
        install(k, m);
        return m;
    }

    private void checkSegment(MappedMemory m, int k, long bytes, Path p) throws ObjectFileException {
        // Acquire: pairs with the creator's release of the magic, so the segment header is complete.
        SharedFile.check(m.getLongAcquire(S_MAGIC) == SEGMENT_MAGIC, p, "not a heap segment (bad magic number)");
        SharedFile.check(m.getInt(S_VERSION) == VERSION && m.getInt(S_INDEX) == k
                && m.getLong(S_HEAP_ID) == main.getLong(ctl + HEAP_ID) && m.getLong(S_BYTES) == bytes, p,
                "heap segment does not belong here: version=" + m.getInt(S_VERSION) + ", index=" + m.getInt(S_INDEX)
                        + ", expected index=" + k);
    }

    private void install(int k, MappedMemory m) {
        MappedMemory[] next = Arrays.copyOf(segments, MAX_SEGMENTS);
        next[k] = m;
        segments = next;
        file.closeWith(m);
    }

    /** Makes sure segment {@code k} exists and is mapped (writer, lock held). */
    void ensure(int k) {
        if (k < main.getLong(ctl + SEGMENTS)) {
            segment(k);
            return;
        }
        createSegment(k);
    }

    private synchronized void createSegment(int k) {
        Path p = segmentPath(k);
        long bytes = segmentBytes(segment0, k);
        Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()));
        MappedMemory m;
        try {
            Files.createFile(tmp, Directories.OWNER_ONLY_FILE);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    SharedFile.allocate(ch, S_DATA + bytes, p);
                    m = MappedMemory.map(ch, S_DATA + bytes);
                }
                m.putInt(S_VERSION, VERSION);
                m.putInt(S_INDEX, k);
                m.putLong(S_HEAP_ID, main.getLong(ctl + HEAP_ID));
                m.putLong(S_BYTES, bytes);
                // Release: the segment header is complete before its magic.
                m.putLongRelease(S_MAGIC, SEGMENT_MAGIC);
                try {
                    Files.createLink(p, tmp);
                } catch (FileAlreadyExistsException leftover) {
                    // Linked by a writer that died before counting it: nobody can have used it; replace it.
                    Files.delete(p);
                    Files.createLink(p, tmp);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IllegalStateException(file.label() + ": cannot grow: heap segment " + k + " of " + bytes
                    + " bytes (" + p + "): " + e.getMessage(), e);
        }
        install(k, m);
        CrashPoints.reach("heap.segment-linked");
        // Release: the segment file is complete and linked before any process may look for it.
        main.putLongRelease(ctl + SEGMENTS, k + 1);
    }

    /** Removes the segment files (for unlink). */
    void unlinkAll() throws IOException {
        for (int k = 1; k < MAX_SEGMENTS; k++) {
            Files.deleteIfExists(segmentPath(k));
        }
    }
}
