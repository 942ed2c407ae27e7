/**
 * The {@code mmipc} command (picocli): {@code list}, {@code inspect}, {@code watch}, {@code clean},
 * {@code rm}. Entry point {@link io.mmipc.cli.Mmipc}; exit codes in {@link io.mmipc.cli.ExitCodes}.
 * The reading of object files lives in {@link io.mmipc.cli.read}.
 */
package io.mmipc.cli;
