package dev.ika4j.bench.cli;

/** {@code ./ika bench}: not built yet. */
final class BenchCommand {
    private BenchCommand() {}

    static int run(String[] args) {
        System.err.println("ika bench: not implemented yet");
        return 1;
    }
}
