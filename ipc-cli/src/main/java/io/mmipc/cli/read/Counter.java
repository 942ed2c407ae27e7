package io.mmipc.cli.read;

/**
 * A count that only grows (messages put, tasks done, barrier generations), for {@code mmipc watch} to turn
 * into a rate.
 *
 * @param value the count now
 * @param mask  the count wraps around modulo {@code mask + 1}; -1 for a plain 64-bit count
 */
public record Counter(long value, long mask) {
    /**
     * @param earlier the same counter read earlier
     * @return how much it grew since then, allowing for one wrap-around
     */
    public long since(Counter earlier) {
        return (value - earlier.value) & mask;
    }
}
