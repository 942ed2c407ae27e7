/**
 * Pipes between processes: {@link io.mmipc.pipe.SharedPipe} (Python's {@code multiprocessing.Pipe}) and its
 * ends, {@link io.mmipc.pipe.PipeConnection} (Python's {@code Connection}), created and opened through
 * {@link io.mmipc.pipe.PipeBuilder}. End-of-file is {@link java.io.EOFException}, a send with nobody to
 * receive {@link io.mmipc.pipe.BrokenPipeException}.
 */
package io.mmipc.pipe;
