package dev.ika4j.bench.cli;

/** {@code ./ika reproduce}: not built yet. */
final class ReproduceCommand {
    private ReproduceCommand() {}

    static int run(String[] args) {
        System.err.println("ika reproduce: not implemented yet");
        return 1;
    }
}
