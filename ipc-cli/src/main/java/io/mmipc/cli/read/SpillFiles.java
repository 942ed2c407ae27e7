package io.mmipc.cli.read;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The side files of a queue or pipe ({@code NAME.mmipc.spill-ID}, see {@code Spill}): how many, how large. */
final class SpillFiles {
    private SpillFiles() {
    }

    /**
     * @param objectFile the queue's or pipe's file
     * @return {@code count} and {@code bytes} of its spill files now
     */
    static Fields describe(Path objectFile) {
        long count = 0;
        long bytes = 0;
        Path dir = objectFile.toAbsolutePath().getParent();
        String prefix = objectFile.getFileName() + ".spill-";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(prefix))) {
            for (Path f : files) {
                count++;
                try {
                    bytes += Files.size(f);
                } catch (IOException goneMeanwhile) {
                    // taken by a consumer while we looked
                }
            }
        } catch (IOException e) {
            return new Fields().add("error", e.toString());
        }
        return new Fields().add("count", count).add("bytes", bytes);
    }
}
