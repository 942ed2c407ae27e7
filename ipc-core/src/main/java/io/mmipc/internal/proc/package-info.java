/**
 * Who is alive: process identities that survive PID reuse, for the registry, lock owners and producer
 * claims in every shared object.
 */
package io.mmipc.internal.proc;
