/**
 * Mapped memory and its memory-order vocabulary.
 *
 * <p>Every shared structure in mmipc lives in a file mapped by {@link io.mmipc.internal.mem.MappedMemory},
 * and every access names its memory order with the {@link java.lang.invoke.VarHandle} words:
 * <dl>
 *   <dt>plain</dt><dd>no ordering; only for data that an acquire/release pair already orders.</dd>
 *   <dt>acquire</dt><dd>a read after which this thread sees every write made before the matching release.</dd>
 *   <dt>release</dt><dd>a write that publishes every earlier write of this thread to an acquiring reader.</dd>
 *   <dt>volatile</dt><dd>sequentially consistent; a volatile write is followed by a full fence, which
 *       mmipc uses where a waker must read "is anyone asleep?" after publishing (store then load).</dd>
 * </dl>
 * Each release/acquire pair in the layouts carries a one-line comment saying what it publishes.
 *
 * <p>The JDK 17 implementation maps through {@code MappedByteBuffer}; the JDK 22+ overlay in
 * {@code META-INF/versions/22} maps through {@code FileChannel.map(..., Arena)} and unmaps explicitly.
 * Callers never see which one is loaded, and only one class is ever loaded, so calls stay monomorphic.
 */
package io.mmipc.internal.mem;
