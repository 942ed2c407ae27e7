/**
 * mmipc: Python's {@code multiprocessing} primitives for Java, shared between JVM processes through
 * memory-mapped files.
 *
 * <p>Only the public API is exported: the packages under {@code io.mmipc.internal} (file layouts, rings,
 * waiting, process identity) are implementation and may change in any release. The {@code mmipc} command
 * ({@code ipc-cli}) reads them from the class path, where module boundaries do not apply.
 *
 * <p>The module needs nothing beyond {@code java.base}. On JDK 22+ the multi-release overlay
 * ({@code META-INF/versions/22}) maps files as {@code MemorySegment}s; futex waiting there calls
 * {@code java.lang.foreign} and is used only when the application grants native access to this module
 * ({@code --enable-native-access=io.mmipc}), never required.
 */
module io.mmipc {
    requires java.management;
    exports io.mmipc;
    exports io.mmipc.codec;
    exports io.mmipc.collection;
    exports io.mmipc.pipe;
    exports io.mmipc.process;
    exports io.mmipc.queue;
    exports io.mmipc.sync;
    exports io.mmipc.value;
}
