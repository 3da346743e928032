package dev.ika4j.api.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * Settings a backend is created with.
 *
 * @param threads    worker threads for CPU backends; default all available processors (system
 *                   property {@code ika.threads} overrides). Backends own their pools: nothing runs
 *                   on the common pool.
 * @param properties backend-specific settings (for the GPU backend: "device", "tf32")
 */
public record BackendConfig(int threads, Map<String, String> properties) {
    public BackendConfig {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        properties = Map.copyOf(properties);
    }

    /** Defaults: all cores (or {@code -Dika.threads}), no properties. */
    public static BackendConfig defaults() {
        String t = System.getProperty("ika.threads");
        int n = t == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(t.trim());
        return new BackendConfig(n, Map.of());
    }

    public BackendConfig withThreads(int n) { return new BackendConfig(n, properties); }

    public BackendConfig with(String key, String value) {
        Map<String, String> m = new TreeMap<>(properties);
        m.put(key, value);
        return new BackendConfig(threads, m);
    }

    public String property(String key, String fallback) {
        return properties.getOrDefault(key, System.getProperty("ika." + key, fallback));
    }
}
