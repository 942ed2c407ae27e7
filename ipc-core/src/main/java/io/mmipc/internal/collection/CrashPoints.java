package io.mmipc.internal.collection;

/**
 * Test hook: named points inside a writer's critical section where a test child stops (prints
 * {@code crash-point <name>} and sleeps) so that its parent can SIGKILL it at exactly that step. Armed only by
 * the system property {@code mmipc.test.crashPoint}; unarmed, each point is a test of a static final null.
 */
final class CrashPoints {
    private static final String ARMED = System.getProperty("mmipc.test.crashPoint");

    private CrashPoints() {
    }

    /** Stops the process here (forever) if the property names this point. */
    static void reach(String point) {
        if (ARMED != null && ARMED.equals(point)) {
            stop(point);
        }
    }

    private static void stop(String point) {
        System.out.println("crash-point " + point);
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // keep waiting for the SIGKILL
            }
        }
    }
}
