/**
 * Waiting and waking across processes: one {@link io.mmipc.internal.wait.EventCount} protocol, two kernel
 * mechanisms (a pure-Java Unix-domain-socket doorbell, and on JDK 22+ with native access a futex), and a
 * short spin in front of both so that hot traffic never sleeps.
 */
package io.mmipc.internal.wait;
