package dev.ika4j.bench.cli;

/** {@code ./ika demo}: not built yet. */
final class DemoCommand {
    private DemoCommand() {}

    static int run(String[] args) {
        System.err.println("ika demo: not implemented yet");
        return 1;
    }
}
