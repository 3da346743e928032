/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import dev.ika4j.api.Backends;

/**
 * {@code ./ika backends [--verbose]}: every provider, whether it can run here, and why in one
 * line; {@code --verbose} adds the full detail behind each reason (the CUDA library search trace).
 */
final class BackendsCommand {
    private BackendsCommand() {}

    static int run(String[] args) {
        boolean verbose = false;
        for (String a : args) {
            switch (a) {
                case "-v", "--verbose" -> verbose = true;
                case "-h", "--help" -> {
                    System.out.println("usage: ./ika backends [--verbose]   (--verbose: the full detail behind each reason)");
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + a + "' (try --help)");
            }
        }
        System.out.println("configured: " + Backends.configuredName());
        for (Backends.Status s : Backends.list()) {
            System.out.println("  " + s);
            if (verbose && !s.detail().equals(s.reason())) {
                for (String line : s.detail().split("; |\n")) System.out.println("        " + line);
            }
        }
        if (!verbose && Backends.list().stream().anyMatch(s -> !s.detail().equals(s.reason()))) {
            System.out.println("(./ika backends --verbose: the full detail behind each reason)");
        }
        return 0;
    }
}
