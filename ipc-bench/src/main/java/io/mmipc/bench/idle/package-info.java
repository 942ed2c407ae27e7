/**
 * The idle-cost probe: CPU used by a peer process blocked on an empty channel, per transport and idle
 * strategy ({@link io.mmipc.bench.idle.IdleCpu}).
 */
package io.mmipc.bench.idle;
