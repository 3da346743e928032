package dev.ika4j.bench.cli;

/** {@code ./ika conformance}: not built yet. */
final class ConformanceCommand {
    private ConformanceCommand() {}

    static int run(String[] args) {
        System.err.println("ika conformance: not implemented yet");
        return 1;
    }
}
