package dev.ika4j.bench.cli;

/** {@code ./ika run}: not built yet. */
final class RunCommand {
    private RunCommand() {}

    static int run(String[] args) {
        System.err.println("ika run: not implemented yet");
        return 1;
    }
}
