/**
 * Who is alive: process tokens, and node files whose fcntl locks tell whether their process still runs
 * (immune to PID reuse, PID namespaces and a missing {@code /proc}; unknown means alive), for the registry,
 * lock owners and producer claims in every shared object.
 */
package io.mmipc.internal.proc;
