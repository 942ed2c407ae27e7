package io.mmipc.cli.read;

import io.mmipc.internal.proc.ProcessIdentity;

/** How the command shows a process token: its PID and whether that very process is alive. */
public final class Processes {
    private Processes() {
    }

    /**
     * @param file  the object file the token was read from (its folder's node files tell liveness)
     * @param token a process token; 0 for nobody
     * @return {@code pid}, {@code alive} and the raw {@code token}, or null for 0
     */
    public static Fields describe(ObjectFile file, long token) {
        if (token == 0) {
            return null;
        }
        return new Fields().add("pid", ProcessIdentity.pid(token)).add("alive", file.isAlive(token))
                .add("token", token);
    }

    /**
     * @param file  the object file the token was read from
     * @param token a process token, or 0
     * @return e.g. {@code pid 123 (alive)}, or {@code none}
     */
    public static String brief(ObjectFile file, long token) {
        if (token == 0) {
            return "none";
        }
        return "pid " + ProcessIdentity.pid(token) + (file.isAlive(token) ? " (alive)" : " (dead)");
    }
}
