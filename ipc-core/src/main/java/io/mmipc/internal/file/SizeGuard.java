package io.mmipc.internal.file;

import io.mmipc.ObjectFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Notices that a mapped object file was truncated under its mapping, before a call touches a page past the
 * new end (SIGBUS: on JDK 17 an atomic access there crashes the JVM). It looks at the file's size (a stat of
 * its name, when the name still refers to the same file) once per {@link SizeTicks} tick (10 ms) it is used
 * in, and at the first call after the tick stopped for idleness. On every JDK: JDK 22+ turns the fault into
 * an {@code InternalError}, but HotSpot may deliver it asynchronously, after the access's handler was left,
 * so the check is what names the file reliably there too. Once truncation is seen it is sticky, so no later
 * call touches the mapping. See docs/identity.md.
 */
final class SizeGuard {
    private final Path path;
    private final String label;
    private final long mapped;
    /** The file's identity (device and inode) when opened, to tell it from a later file of the same name. */
    private final Object fileKey;
    /**
     * The {@link SizeTicks} tick this guard last checked in. Plain: threads racing on it at most check twice
     * in one tick. Starts as no tick at all, so the first call after opening looks.
     */
    private int checkedTick = Integer.MIN_VALUE;
    /** Set once the file was found truncated: every later call fails with it. */
    private volatile ObjectFileException truncated;

    SizeGuard(Path path, String label, long mapped) {
        this.path = path;
        this.label = label;
        this.mapped = mapped;
        this.fileKey = key(path);
    }

    /** Checks if due (once per 10 ms tick while in use, at once after idleness), or at once after a truncation was seen. */
    void checkIfDue() {
        if (truncated != null) {
            check();
        }
        int tick = SizeTicks.current();
        if (tick != checkedTick || tick == SizeTicks.IDLE) {
            checkedTick = tick;
            SizeTicks.used();
            check();
        }
    }

    /**
     * Checks now.
     *
     * @throws UncheckedIOException wrapping an {@link ObjectFileException} naming the file and both sizes
     */
    void check() {
        if (truncated != null) {
            throw new UncheckedIOException(truncated);
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return; // unlinked (still usable) or unreadable: nothing known
        }
        if (fileKey != null && fileKey.equals(a.fileKey()) && a.size() < mapped) {
            // Sticky: from now on every call fails at once, without touching the mapping again.
            truncated = new ObjectFileException(path, "file truncated while open: size=" + a.size() + ", mapped="
                    + mapped + " (" + label + " can no longer be used)");
            throw new UncheckedIOException(truncated);
        }
    }

    /** @return false if the file was found truncated (now, or before): its mapping must not be touched */
    boolean isIntact() {
        try {
            check();
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static Object key(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
