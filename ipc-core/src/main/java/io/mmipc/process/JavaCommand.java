package io.mmipc.process;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a child JVM inherits from this one by default: the java executable, the class path (and module path),
 * every {@code mmipc.*} system property (so a moved objects folder, a wait mode or a spin time reach every
 * child) and the {@code --enable-native-access} option (so both sides can wait on a futex).
 */
final class JavaCommand {
    private JavaCommand() {
    }

    /** @return this JVM's java executable */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** @return {@code -Dmmipc.*=...} for every {@code mmipc.*} property of this JVM */
    static List<String> mmipcProperties() {
        List<String> out = new ArrayList<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("mmipc.")).sorted()
                .forEach(k -> out.add("-D" + k + "=" + System.getProperty(k)));
        return out;
    }

    /** @return the {@code --enable-native-access} options this JVM was started with (empty if none) */
    static List<String> nativeAccess() {
        List<String> out = new ArrayList<>();
        List<String> input = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < input.size(); i++) {
            String arg = input.get(i);
            if (arg.startsWith("--enable-native-access=")) {
                out.add(arg);
            } else if (arg.equals("--enable-native-access") && i + 1 < input.size()) {
                out.add(arg + "=" + input.get(++i));
            }
        }
        return out;
    }

    /**
     * @param classPath the child's class path, or null for this JVM's (with its module path, if any)
     * @return {@code -cp ...} and, when this JVM has one and no class path is given, {@code --module-path ...}
     */
    static List<String> paths(String classPath) {
        if (classPath != null) {
            return List.of("-cp", classPath);
        }
        List<String> out = new ArrayList<>();
        String modules = System.getProperty("jdk.module.path");
        if (modules != null && !modules.isEmpty()) {
            out.add("--module-path");
            out.add(modules);
            out.add("--add-modules=ALL-MODULE-PATH");
        }
        out.add("-cp");
        out.add(System.getProperty("java.class.path"));
        return out;
    }
}
