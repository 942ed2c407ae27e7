package io.mmipc.process;

import io.mmipc.internal.log.Log;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The {@code main} of every child JVM a {@link SharedProcess} starts: {@code ChildMain <run folder>}. It
 * reads what to run from the folder ({@link TaskFile}) and deletes it (a main class's folder entirely: nothing
 * comes back), starts the parent watch for a daemon child, runs the task (or the main class) and, for a task,
 * writes its result or exception back and exits. An orphaned daemon child removes its folder before halting.
 *
 * <p>The parent watch: a daemon child's stdin is a pipe whose other end only the parent holds; a thread
 * blocked reading it gets end-of-file when the parent dies in any way (SIGKILL included), and halts the
 * child. As a backup a second thread checks every second that the parent is still this process's parent.
 * A daemon child's stdin is therefore not available to its program. The reading thread blocks in a system
 * call, and a JVM that exits while a thread is in one waits 300 ms for it (HotSpot's
 * {@code wait_for_threads_in_native_to_block}, JDK 17 and 25 alike): so the read goes through an interruptible
 * {@link FileChannel}, which a shutdown hook closes, waking the reader, whichever way the child exits.
 */
public final class ChildMain {
    /** Exit status of a daemon child whose parent died. */
    static final int EXIT_ORPHANED = 70;
    /** Exit status when the task threw (the exception itself is in the result file). */
    static final int EXIT_TASK_FAILED = 1;
    private static final long PARENT_POLL_MILLIS = 1000;

    private ChildMain() {
    }

    /**
     * Runs what the run folder describes.
     *
     * @param args the run folder
     * @throws Exception what a main class threw (a task's exception goes to the parent instead)
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ChildMain <run folder>");
        }
        Path dir = Path.of(args[0]);
        TaskFile.Spec spec = TaskFile.readTask(dir);
        Files.delete(dir.resolve(TaskFile.TASK));
        if (spec.mode() == TaskFile.MODE_MAIN) {
            Files.delete(dir); // nothing comes back from a main class: the folder has served
        }
        if (spec.daemon()) {
            List<Path> cleanup = new ArrayList<>(List.of(dir));
            for (String f : spec.orphanCleanup()) {
                cleanup.add(Path.of(f));
            }
            watchParent(spec.parentPid(), cleanup);
        }
        if (spec.mode() == TaskFile.MODE_MAIN) {
            runMain(spec);
            return;
        }
        System.exit(runTask(dir, spec));
    }

    private static void runMain(TaskFile.Spec spec) throws Exception {
        Method main = Class.forName(spec.mainClass()).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) spec.args().toArray(new String[0]));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }

    /** Runs the task and writes its outcome; returns the exit status. */
    private static int runTask(Path dir, TaskFile.Spec spec) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        byte status;
        byte[] data;
        try {
            Object task = TaskSerializer.read(spec.task(), AllowList.of(spec.allowed()), opened);
            Object value = call(task);
            byte[] bytes;
            try {
                bytes = TaskSerializer.write(value).bytes();
                status = TaskFile.STATUS_VALUE;
                data = bytes;
            } catch (IOException e) {
                status = TaskFile.STATUS_EXCEPTION;
                data = Throwables.encode(new IOException("the task's result cannot be serialized: class="
                        + value.getClass().getName() + ": " + e, e));
            }
        } catch (Throwable t) {
            status = TaskFile.STATUS_EXCEPTION;
            data = Throwables.encode(t);
        } finally {
            for (AutoCloseable c : opened) {
                SharedHandles.closeQuietly(c);
            }
        }
        TaskFile.writeOutcome(dir, status, data);
        System.out.flush();
        System.err.flush();
        return status == TaskFile.STATUS_VALUE ? 0 : EXIT_TASK_FAILED;
    }

    private static Object call(Object task) throws Exception {
        if (task instanceof Callable) {
            return ((Callable<?>) task).call();
        }
        if (task instanceof RemoteRunnable) {
            ((RemoteRunnable) task).run();
            return null;
        }
        throw new IllegalArgumentException("not a task: class=" + (task == null ? "null" : task.getClass().getName()));
    }

    /**
     * Halts this JVM when the parent dies (stdin end-of-file, or the parent PID no longer ours). Plain
     * runnable classes rather than lambdas: each first lambda costs a child milliseconds of start-up.
     */
    static void watchParent(long parentPid, List<Path> runDir) {
        StdinWatch watch = new StdinWatch(runDir);
        Thread stdin = new Thread(watch, "mmipc-parent-watch");
        stdin.setDaemon(true);
        stdin.start();
        Runtime.getRuntime().addShutdownHook(new Thread(new StopWatch(watch), "mmipc-parent-watch-stop"));
        Thread poll = new Thread(new ParentPoll(parentPid, runDir), "mmipc-parent-poll");
        poll.setDaemon(true);
        poll.start();
    }

    /** Orphaned: removes the run folder (nobody will collect it) and the folders the parent named, and halts. */
    private static void orphaned(List<Path> folders) {
        for (Path f : folders) {
            try {
                SharedProcess.deleteTree(f);
            } catch (IOException | RuntimeException e) {
                // Best effort (another orphan may be removing the same folder): we are going anyway.
                Log.PROCESS.log(Level.DEBUG, "orphaned child: cannot remove " + f, e);
            }
        }
        Runtime.getRuntime().halt(EXIT_ORPHANED);
    }

    /** Blocks reading stdin, which only the parent holds open; halts at end-of-file. */
    private static final class StdinWatch implements Runnable {
        private final List<Path> runDir;
        private final FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();

        StdinWatch(List<Path> runDir) {
            this.runDir = runDir;
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocate(64);
            try {
                while (in.read(buf) >= 0) {
                    buf.clear(); // the parent never writes; anything read is ignored
                }
            } catch (ClosedChannelException exiting) {
                return; // closed by the shutdown hook: this child is exiting, not orphaned
            } catch (IOException e) {
                // a broken pipe is the same news as end-of-file
            }
            orphaned(runDir);
        }

        /** Wakes the blocked read (the channel signals its reader) so that no thread is in a system call. */
        void stop() {
            try {
                in.close();
            } catch (IOException e) {
                // exiting anyway; the JVM then waits up to 300 ms for the reader
            }
        }
    }

    /** The shutdown hook that stops the stdin watch (a class, not a lambda: see {@link #watchParent}). */
    private static final class StopWatch implements Runnable {
        private final StdinWatch watch;

        StopWatch(StdinWatch watch) {
            this.watch = watch;
        }

        @Override
        public void run() {
            watch.stop();
        }
    }

    /** Checks every second that the parent is still this process's parent. */
    private static final class ParentPoll implements Runnable {
        private final long parentPid;
        private final List<Path> runDir;

        ParentPoll(long parentPid, List<Path> runDir) {
            this.parentPid = parentPid;
            this.runDir = runDir;
        }

        @Override
        public void run() {
            while (true) {
                try {
                    // First sleep, then look: at start-up the stdin watch is there, and the first look loads
                    // ProcessHandle's machinery on a core the child's own start-up needs.
                    Thread.sleep(PARENT_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                Optional<ProcessHandle> parent = ProcessHandle.current().parent();
                if (parent.isEmpty() || parent.get().pid() != parentPid || !parent.get().isAlive()) {
                    orphaned(runDir);
                }
            }
        }
    }
}
