package io.mmipc.examples.extract;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The data of {@link ParallelExtract}: generated CSV files of sensor readings, and the filter that keeps the
 * interesting rows. Both are deterministic (seeded by the file's number), so every run keeps the same rows.
 */
final class CsvFiles {
    static final String HEADER = "id,time,city,temperature,humidity,status";
    private static final String[] CITIES = {"Oslo", "Lima", "Pune", "Kyiv", "Turin", "Perth", "Quito", "Dakar",
        "Hanoi", "Cusco"};
    /** Kept: a warning status with a code, as a real extraction would match a pattern. */
    private static final Pattern WARNING = Pattern.compile("WARN-\\d{3}");

    private CsvFiles() {
    }

    /**
     * Writes {@code count} files of {@code rows} rows each into {@code dir}.
     *
     * @return the files, in order
     */
    static List<Path> generate(Path dir, int count, int rows) throws IOException {
        List<Path> files = new ArrayList<>(count);
        for (int f = 0; f < count; f++) {
            Path file = dir.resolve(String.format("readings-%04d.csv", f));
            SplittableRandom random = new SplittableRandom(f);
            StringBuilder sb = new StringBuilder(rows * 48).append(HEADER).append('\n');
            for (int r = 0; r < rows; r++) {
                int s = random.nextInt(100);
                String status = s < 80 ? "OK" : s < 90 ? "WARN-" + (100 + random.nextInt(900)) : "ERROR";
                int centiDegrees = -1000 + random.nextInt(4500);
                sb.append(f).append('-').append(r).append(',').append(1_700_000_000L + r * 97L).append(',')
                        .append(CITIES[random.nextInt(CITIES.length)]).append(',').append(centiDegrees / 100)
                        .append('.').append(Math.abs(centiDegrees % 100) / 10).append(Math.abs(centiDegrees % 10))
                        .append(',').append(random.nextInt(101)).append(',').append(status).append('\n');
            }
            Files.writeString(file, sb);
            files.add(file);
        }
        return files;
    }

    /**
     * The extraction: reads one file and keeps the rows of a hot, humid afternoon reading with a warning in
     * the southern cities. This runs in the pool's worker processes (and, for the comparison, in the main process).
     *
     * @param file the file's path, as a string (a plain value that crosses to the workers without Java
     *             serialization)
     * @return the kept rows, each followed by a newline
     */
    static String filter(String file) throws IOException {
        StringBuilder kept = new StringBuilder();
        try (BufferedReader in = Files.newBufferedReader(Path.of(file))) {
            String line = in.readLine(); // the header
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                double temperature = Double.parseDouble(f[3]);
                int humidity = Integer.parseInt(f[4]);
                int hour = Instant.ofEpochSecond(Long.parseLong(f[1])).atZone(ZoneOffset.UTC).getHour();
                boolean south = f[2].equals("Lima") || f[2].equals("Perth") || f[2].equals("Cusco");
                if (south && temperature > 20.0 && humidity >= 30 && hour >= 12 && hour < 18
                        && WARNING.matcher(f[5]).matches()) {
                    kept.append(line).append('\n');
                }
            }
        }
        return kept.toString();
    }
}
