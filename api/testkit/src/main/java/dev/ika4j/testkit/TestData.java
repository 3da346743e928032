/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the ONNX conformance cases. */
public final class TestData {
    private TestData() {}

    /**
     * The folder of ONNX Attention cases: {@code -Dika.conformance.dir} (the build sets it to
     * {@code ../shared/conformance/onnx-attention}, beside the repository), else that folder seen
     * from a module's directory. The cases are outside data (ONNX's, Apache-2.0) and are not copied
     * into this repository.
     */
    public static Path conformanceDir() {
        String prop = System.getProperty("ika.conformance.dir");
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            if (Files.isDirectory(p)) return p;
            throw new IllegalStateException("ika.conformance.dir=" + prop + " is not a folder; the ONNX Attention cases"
                    + " are expected in shared/conformance/onnx-attention beside the repository");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared/conformance/onnx-attention");
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("ONNX conformance cases not found: set -Dika.conformance.dir, or put them in"
                + " shared/conformance/onnx-attention beside the repository");
    }
}
