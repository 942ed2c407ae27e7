package io.mmipc.cli;

import io.mmipc.SharedObjects;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Options every command takes: the objects folder and the output format. */
final class CommonOptions {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Folder of the objects (default: ${DEFAULT-VALUE}; the mmipc.dir system property "
                    + "changes it as for the library).")
    Path dir = SharedObjects.defaultDirectory();

    @Option(names = "--json", description = "Print JSON (one document; one line per refresh for watch).")
    boolean json;

    /**
     * Says so on stderr if the folder does not exist.
     *
     * @param err where to say it
     * @return whether the folder exists
     */
    boolean dirExists(PrintWriter err) {
        if (java.nio.file.Files.isDirectory(dir)) {
            return true;
        }
        err.println("mmipc: no such folder: dir=" + dir);
        err.flush();
        return false;
    }

    /**
     * Prints a JSON document, or nothing in text mode.
     *
     * @param value the document
     * @param out   where to print
     */
    void printJson(Object value, PrintWriter out) {
        out.println(Json.write(value));
        out.flush();
    }
}
