package io.mmipc.process;

/** A child's main for {@link ClassDataArchiveTest}: prints {@code probe ran}, then sleeps if asked to. */
public final class ArchiveProbeMain {
    private ArchiveProbeMain() {
    }

    /**
     * @param args {@code sleep} to sleep a minute after printing
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
        System.out.println("probe ran");
        if (args.length > 0 && args[0].equals("sleep")) {
            Thread.sleep(60_000);
        }
    }
}
