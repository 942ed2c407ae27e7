package io.mmipc.process;

import java.time.Duration;
import java.util.List;

/**
 * A pool's settings, fixed when it starts.
 *
 * @param workers       worker processes
 * @param initializer   run once in each worker before its first task, or null
 * @param maxTasks      batches a worker does before it is replaced (0: no limit)
 * @param taskTimeout   longest a batch may run before its worker is killed and replaced (null: no limit)
 * @param allowed       classes results may contain, beyond the defaults and what the tasks were made of
 * @param jvmOptions    the workers' JVM options
 * @param name          prefix of the workers' process names
 * @param classDataSharing whether workers map a class-data-sharing archive ({@link Launcher#classDataSharing})
 */
record PoolSettings(int workers, RemoteRunnable initializer, int maxTasks, Duration taskTimeout,
        List<Class<?>> allowed, List<String> jvmOptions, String name, boolean classDataSharing) {
}
