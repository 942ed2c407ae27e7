package io.mmipc.bench.report;

/** The measures of the report, each with its chart file and which direction is better. */
public enum Measure {
    /** Median round trip. */
    RTT_MEDIAN("rtt-median", "Round trip, median", "µs", false),
    /** 99th percentile round trip. */
    RTT_P99("rtt-p99", "Round trip, p99", "µs", false),
    /** 99.9th percentile round trip. */
    RTT_P999("rtt-p999", "Round trip, p99.9", "µs", false),
    /** Median round trip when the peer was asleep before each message (issue 11's cold case). */
    COLD_RTT_MEDIAN("cold-rtt-median", "Cold round trip (peer asleep), median", "µs", false),
    /** 99th percentile of the cold round trip. */
    COLD_RTT_P99("cold-rtt-p99", "Cold round trip (peer asleep), p99", "µs", false),
    /** Burst after a 1-5 ms pause, trip 1 (a cold wake-up), median; mmipc and the socket in one fork. */
    BURST_FIRST("burst-first", "Burst after 1-5 ms pause: trip 1, median", "µs", false),
    /** Burst after a pause, trips 10..N, median: must be near the hot round trip (no lasting slow state). */
    BURST_LATE("burst-late", "Burst after 1-5 ms pause: trips 10..N, median", "µs", false),
    /** Blocks of back-to-back round trips, alternating with the socket in one fork, median. */
    HOT_ALTERNATING("hot-alternating", "Back-to-back blocks, alternating with the socket: median", "µs", false),
    /** One-way messages per second. */
    MSGS("throughput-msgs", "One-way throughput", "messages/s", true),
    /** One-way payload megabytes (10^6 bytes) per second. */
    MBS("throughput-mbs", "One-way throughput", "MB/s", true);

    private final String file;
    private final String title;
    private final String unit;
    private final boolean higherIsBetter;

    Measure(String file, String title, String unit, boolean higherIsBetter) {
        this.file = file;
        this.title = title;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** @return the chart's file name without extension */
    public String file() {
        return file;
    }

    /** @return a human title */
    public String title() {
        return title;
    }

    /** @return the unit */
    public String unit() {
        return unit;
    }

    /** @return whether a larger number is better */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
