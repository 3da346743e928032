/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import dev.ika4j.api.Backends;
import dev.ika4j.api.onnx.ConformanceRunner;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code ./ika conformance DIR [--backend NAME]}: every ONNX Attention node-test case under DIR on
 * every available backend, or on the one named (the launcher turns --backend into -Dika.backend).
 * One line per case and backend, then {@code N passed, M failed}; exit 1 if anything failed or
 * nothing ran.
 */
final class ConformanceCommand {
    private ConformanceCommand() {}

    static int run(String[] args) {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: ./ika conformance DIR [--backend NAME]");
            System.err.println("  runs every ONNX Attention case (a folder with model.onnx and test_data_set_N/) found under DIR;");
            System.err.println("  the ONNX cases the tests use are in ../shared/conformance/onnx-attention (beside the repository)");
            return 2;
        }
        try {
            return ConformanceRunner.run(Path.of(args[0]), Backends.configuredName(), System.out).exitCode();
        } catch (IOException e) {
            System.err.println("ika conformance: cannot read " + args[0] + ": " + e);
            return 2;
        }
    }
}
