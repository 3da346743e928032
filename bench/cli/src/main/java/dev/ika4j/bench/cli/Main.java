/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import java.util.Arrays;

/** Entry point of {@code ./ika}: dispatches to one command per subcommand. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            usage();
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(rest);
                case "backends" -> BackendsCommand.run(rest);
                case "conformance" -> ConformanceCommand.run(rest);
                case "run" -> RunCommand.run(rest);
                // These two run on class paths of their own (bench/jmh with the peers, bench/train):
                // the launcher starts them, so the CLI's class path holds ika4j's jars and the JDK only.
                case "bench", "reproduce" -> {
                    System.err.println("ika: '" + args[0] + "' runs through the launcher: ./ika " + args[0]);
                    yield 2;
                }
                default -> {
                    System.err.println("ika: unknown command '" + args[0] + "'");
                    usage();
                    yield 2;
                }
            };
        } catch (IllegalArgumentException | dev.ika4j.api.BackendUnavailableException e) {
            System.err.println("ika " + args[0] + ": " + e.getMessage());
            return 2;
        }
    }

    private static void usage() {
        System.out.println("""
                usage: ./ika COMMAND [options]     (--backend NAME or IKA_BACKEND picks a backend; default auto)
                  demo                 attention at realistic shapes on the selected backend, checked against the reference
                  backends [--verbose] every backend with whether it is available here and why (--verbose: in full)
                  conformance DIR      run the ONNX Attention node-test cases under DIR on every available backend
                  run --help           compute any kernel from .npy files and write .npy results
                  bench [--full]       JMH benchmarks: backends and peers side by side, tables and charts in docs/benchmarks
                  reproduce regression the paper's regression experiment (training), written to docs/reproduction.md
                  reproduce graph      node classification, GAT against the paper's kernels, written to docs/reproduction-graph.md
                  test [MAVEN ARGS]    the whole test suite and the Javadoc of the published modules (mvn verify)
                  build                build the project (without tests); every other command builds when sources changed
                """);
    }
}
