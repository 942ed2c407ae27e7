/**
 * Reading mmipc object files from outside, without disturbing them: positional reads only (no mapping, no
 * registry entry, no lock, no wake-up). {@link io.mmipc.cli.read.Inspector} reads the common header, the
 * process registry and the waiter table, then hands the body to one {@link io.mmipc.cli.read.Describer}
 * per object type (registered in {@code Describers}), each reading through its layout descriptor's
 * constants. A layout change in ipc-core means adapting one describer; the few constants ipc-core keeps
 * private are mirrored, and checked by a test, in {@link io.mmipc.cli.read.LayoutMirror}.
 */
package io.mmipc.cli.read;
