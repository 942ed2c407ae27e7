/**
 * Regimes that compare mmipc with the Unix-domain socket inside one benchmark fork, alternating between them:
 * bursts after an idle pause (is there a slow state traffic cannot leave?) and blocks of back-to-back round
 * trips. Per-trip medians are reported by {@link io.mmipc.bench.burst.TripProfiler} as JMH secondary results.
 */
package io.mmipc.bench.burst;
