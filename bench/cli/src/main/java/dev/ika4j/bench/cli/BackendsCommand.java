package dev.ika4j.bench.cli;

import dev.ika4j.api.Backends;

/** {@code ./ika backends}: every provider, whether it can run here, and why. */
final class BackendsCommand {
    private BackendsCommand() {}

    static int run(String[] args) {
        System.out.println("configured: " + Backends.configuredName());
        for (Backends.Status s : Backends.list()) System.out.println("  " + s);
        return 0;
    }
}
