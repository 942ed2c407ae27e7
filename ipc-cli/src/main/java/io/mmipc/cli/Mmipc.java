package io.mmipc.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * The {@code mmipc} command: see, watch and clean the shared objects in a folder without disturbing the
 * processes using them. Run {@code mmipc --help}; the exit codes are in {@link ExitCodes}.
 */
@Command(name = "mmipc", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Mmipc.Version.class,
        description = "See, watch and clean mmipc shared objects. Objects are only read (no attach, no lock taken, "
                + "no wake-up); a corrupt file is reported, not fatal.",
        subcommands = {ListCommand.class, InspectCommand.class, WatchCommand.class, CleanCommand.class,
                RmCommand.class, CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done; every object read was valid",
            "1:done, but an object is corrupt, truncated or of an unknown layout",
            "2:bad command line",
            "3:no such object or folder",
            "4:rm refused: live processes have the object open (use --force)",
            "5:a file could not be read or removed",
            "70:internal error (a bug in mmipc: please report the stack trace)"},
        footer = {"%nShell completion: source <(mmipc generate-completion)"})
public final class Mmipc implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the command line, ready to {@link CommandLine#execute execute} (tests set its output streams) */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Mmipc());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("mmipc: " + message(e));
            if (e instanceof IllegalArgumentException) {
                return ExitCodes.USAGE;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                return ExitCodes.IO_ERROR;
            }
            e.printStackTrace(commandLine.getErr());
            commandLine.getErr().flush();
            return ExitCodes.INTERNAL_ERROR;
        });
        return cl;
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The version, from the jar's manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Mmipc.class.getPackage().getImplementationVersion();
            return new String[] {"mmipc " + (v == null ? "(development build)" : v)};
        }
    }
}
