package io.mmipc.process;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Settings for starting one {@link SharedProcess}; from {@link SharedProcess#builder}. Defaults: this JVM's
 * java executable and class path (and module path), its {@code mmipc.*} system properties and its
 * {@code --enable-native-access} option, this JVM's working folder and environment, a daemon child, its
 * stdout and stderr copied line by line to this JVM's {@code System.out} and {@code System.err}, and no
 * class-data-sharing archive of mmipc's ({@link #classDataSharing}).
 *
 * @param <R> the task's result type
 */
public final class Launcher<R> {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Consumer<String> NO_SINK = s -> { };

    private final Object task;
    private final String mainClass;
    private final List<String> args;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private final Set<Class<?>> allowed = new LinkedHashSet<>();
    private String name;
    private String java;
    private String classPath;
    private Path directory;
    private boolean daemon = true;
    private boolean inherit = true;
    private boolean nativeAccess = true;
    private boolean classDataSharing;
    private Consumer<String> stdout;
    private Consumer<String> stderr;
    private Path outputFile;
    private final List<String> orphanCleanup = new ArrayList<>();

    Launcher(Object task, String mainClass, List<String> args) {
        this.task = task;
        this.mainClass = mainClass;
        this.args = args;
    }

    /**
     * {@return this launcher}
     *
     * @param processName names the process in errors and thread names
     */
    public Launcher<R> name(String processName) {
        this.name = Objects.requireNonNull(processName, "processName");
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param options JVM options for the child (after the inherited ones, so they win), e.g. {@code -Xmx64m}
     */
    public Launcher<R> jvmOptions(String... options) {
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param options JVM options for the child, as {@link #jvmOptions(String...)}
     */
    public Launcher<R> jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param executable the java executable to run (default: this JVM's)
     */
    public Launcher<R> javaExecutable(Path executable) {
        this.java = executable.toString();
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param entries the child's class path (default: this JVM's class path and module path); it must hold
     *                mmipc and whatever the task or main class needs
     */
    public Launcher<R> classPath(List<Path> entries) {
        StringBuilder s = new StringBuilder();
        for (Path p : entries) {
            if (s.length() > 0) {
                s.append(File.pathSeparatorChar);
            }
            s.append(p.toAbsolutePath());
        }
        this.classPath = s.toString();
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param folder the child's working folder (default: this JVM's)
     */
    public Launcher<R> directory(Path folder) {
        this.directory = folder;
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param key   an environment variable to set in the child (the rest of this JVM's environment is kept)
     * @param value its value
     */
    public Launcher<R> environment(String key, String value) {
        environment.put(key, value);
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param isDaemon false to let the child outlive this JVM (default true: it is halted when this JVM dies)
     */
    public Launcher<R> daemon(boolean isDaemon) {
        this.daemon = isDaemon;
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param inheritSettings false to pass neither this JVM's {@code mmipc.*} properties nor its native-access option
     */
    public Launcher<R> inheritSettings(boolean inheritSettings) {
        this.inherit = inheritSettings;
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param inheritNativeAccess false not to pass this JVM's {@code --enable-native-access} option on (the
     *                            {@code mmipc.*} properties still are)
     */
    public Launcher<R> inheritNativeAccess(boolean inheritNativeAccess) {
        this.nativeAccess = inheritNativeAccess;
        return this;
    }

    /**
     * Whether the child maps a class-data-sharing archive of what such a child loaded before, recorded by the
     * first one as it exits (see docs/process.md): it cuts a child's start-up by about a quarter. Used only with
     * this JVM's java executable, a class path of jar files (their manifests' {@code Class-Path} included) and
     * no CDS or AOT option of your own; the archives live in an owner-only folder, {@code .jvm-archives} in the
     * default objects folder. Off by default for a process: should HotSpot fail to write the archive, the
     * recording child exits with status 1 instead of its own. A pool turns it on for its workers, whose exit
     * status at the end means nothing ({@link PoolBuilder#classDataSharing}).
     *
     * @param enabled true to map an archive, or record one when there is none yet
     * @return this launcher
     */
    public Launcher<R> classDataSharing(boolean enabled) {
        this.classDataSharing = enabled;
        return this;
    }

    /**
     * Allows classes in the task's result (deserialized here under an allow-list: strings, boxed primitives,
     * common collections and every class the task itself was made of are allowed already).
     *
     * @param classes classes the result may contain
     * @return this launcher
     */
    public Launcher<R> allow(Class<?>... classes) {
        allowed.addAll(Arrays.asList(classes));
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param sink receives each line the child writes to stdout (default: this JVM's {@code System.out})
     */
    public Launcher<R> stdout(Consumer<String> sink) {
        this.stdout = Objects.requireNonNull(sink, "sink");
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param sink receives each line the child writes to stderr (default: this JVM's {@code System.err})
     */
    public Launcher<R> stderr(Consumer<String> sink) {
        this.stderr = Objects.requireNonNull(sink, "sink");
        return this;
    }

    /**
     * {@return this launcher}
     *
     * @param file appends the child's stdout and stderr to this file instead (the child writes it directly)
     */
    public Launcher<R> output(Path file) {
        this.outputFile = file;
        return this;
    }

    /**
     * A folder a daemon child removes if its parent dies (a pool's queues: the parent cannot, once killed).
     *
     * @param folder the folder
     * @return this launcher
     */
    Launcher<R> removeWhenOrphaned(Path folder) {
        orphanCleanup.add(folder.toAbsolutePath().toString());
        return this;
    }

    /** Discards the child's stdout and stderr. */
    Launcher<R> quiet() {
        return stdout(NO_SINK).stderr(NO_SINK);
    }

    /**
     * Starts the child. It runs while this method returns; nothing waits for its JVM to come up.
     *
     * @return the running process
     * @throws java.io.NotSerializableException if the task (or something it captures) cannot be serialized
     * @throws IOException                      if the child cannot be started
     */
    public SharedProcess<R> start() throws IOException {
        String processName = name != null ? name : "SharedProcess-" + COUNTER.incrementAndGet();
        TaskSerializer.Written written = task != null ? TaskSerializer.write(task) : null;
        Path runDir = Files.createTempDirectory("mmipc-proc-"); // 0700 on POSIX
        try {
            long parent = ProcessHandle.current().pid();
            TaskFile.writeTask(runDir, task != null
                    ? new TaskFile.Spec(TaskFile.MODE_TASK, daemon, parent, orphanCleanup, List.copyOf(written.classes()),
                            written.bytes(), null, List.of())
                    : new TaskFile.Spec(TaskFile.MODE_MAIN, daemon, parent, orphanCleanup, List.of(), null, mainClass,
                            args));
            ClassDataArchive archive = classDataSharing && java == null
                    ? ClassDataArchive.plan(task != null ? programOf(task) : mainClass, inheritedAndOwnOptions(),
                            JavaCommand.paths(classPath))
                    : ClassDataArchive.none();
            ProcessBuilder pb = new ProcessBuilder(command(runDir, archive.options()));
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            pb.environment().putAll(environment);
            pb.redirectInput(daemon ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (outputFile != null) {
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
                pb.redirectError(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException | RuntimeException e) {
                archive.finish();
                throw e;
            }
            if (archive.records()) {
                p.onExit().thenRun(archive::finish);
            }
            List<Thread> pumps = new ArrayList<>();
            if (outputFile == null) {
                pumps.add(LinePump.start(p.getInputStream(), sink(stdout, System.out), processName + "-stdout"));
                pumps.add(LinePump.start(p.getErrorStream(), sink(stderr, System.err), processName + "-stderr"));
            }
            AllowList resultAllow = AllowList.ofClasses(allowed);
            if (written != null) {
                resultAllow.addAll(written.classes());
            }
            return new SharedProcess<>(processName, p, runDir, task != null, resultAllow, pumps);
        } catch (IOException | RuntimeException e) {
            SharedProcess.deleteTree(runDir);
            throw e;
        }
    }

    /** @return the class a task is made of, stable across runs (a lambda's hidden class name is not) */
    private static String programOf(Object task) {
        String name = task.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        return lambda < 0 ? name : name.substring(0, lambda);
    }

    /** @return the inherited JVM options, then the caller's */
    private List<String> inheritedAndOwnOptions() {
        List<String> options = new ArrayList<>();
        if (inherit) {
            options.addAll(JavaCommand.mmipcProperties());
        }
        if (inherit && nativeAccess) {
            options.addAll(JavaCommand.nativeAccess());
        }
        options.addAll(jvmOptions);
        return options;
    }

    private static Consumer<String> sink(Consumer<String> given, PrintStream fallback) {
        return given != null ? given : fallback::println;
    }

    /** @return the child's command line, without a class-data archive */
    List<String> command(Path runDir) {
        return command(runDir, List.of());
    }

    private List<String> command(Path runDir, List<String> archiveOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java != null ? java : JavaCommand.javaExecutable());
        cmd.addAll(archiveOptions);
        cmd.addAll(inheritedAndOwnOptions());
        cmd.addAll(JavaCommand.paths(classPath));
        cmd.add(ChildMain.class.getName());
        cmd.add(runDir.toString());
        return cmd;
    }
}
