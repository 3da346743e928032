package dev.ika4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the tests find the ONNX conformance cases. */
public final class TestData {
    private TestData() {}

    /**
     * The folder of ONNX Attention cases: {@code -Dika.conformance.dir} (the build sets it), else
     * the copy on the test class path (a folder, or inside api's test jar), else the source tree
     * seen from the module's folder.
     */
    public static Path conformanceDir() {
        String prop = System.getProperty("ika.conformance.dir");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) return Path.of(prop);
        URL url = TestData.class.getResource("/onnx-attention/LICENSE");
        if (url != null) {
            try {
                URI uri = url.toURI();
                if (uri.getScheme().equals("jar")) {
                    try {
                        FileSystems.newFileSystem(uri, Map.of());
                    } catch (FileSystemAlreadyExistsException ignored) {
                        // another test opened it first; Path.of(uri) finds it
                    }
                }
                return Path.of(uri).getParent();
            } catch (URISyntaxException | IOException e) {
                throw new IllegalStateException("cannot open the conformance cases at " + url, e);
            }
        }
        for (String rel : new String[] {"src/test/resources/onnx-attention", "../api/src/test/resources/onnx-attention"}) {
            Path p = Path.of(rel);
            if (Files.isDirectory(p)) return p;
        }
        throw new UncheckedIOException(new IOException("ONNX conformance cases not found: set -Dika.conformance.dir"));
    }
}
