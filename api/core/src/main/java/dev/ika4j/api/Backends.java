/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds backends through {@link ServiceLoader} and opens one.
 *
 * <p>Selection: the system property {@code ika.backend}, else the environment variable
 * {@code IKA_BACKEND}, else {@code auto}. {@code auto} takes the available backend of highest
 * priority among those that {@linkplain BackendProvider#selectableByAuto() may be chosen by auto}
 * (never the float64 reference, which is an oracle, tens of times slower than float32 code) and
 * logs its choice once; a name picks that backend or fails with its reason.
 */
public final class Backends {
    /**
     * One provider's status, for users and the demo: {@code reason} is one line, {@code detail}
     * the full story behind it (equal to {@code reason} when there is nothing more).
     */
    public record Status(String name, int priority, boolean available, String reason, String providerClass,
                         String detail) {
        /** A status whose reason is all there is to say. */
        public Status(String name, int priority, boolean available, String reason, String providerClass) {
            this(name, priority, available, reason, providerClass, reason);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-10s priority %3d  %s  %s", name, priority,
                    available ? "available  " : "unavailable", reason);
        }
    }

    private static final System.Logger LOG = System.getLogger("dev.ika4j");
    private static final AtomicBoolean LOGGED_AUTO = new AtomicBoolean();
    /** The published backends by name, and the artifact each lives in, for the hint above. */
    private static final java.util.Map<String, String> ARTIFACTS = java.util.Map.of(
            "simd", "ika4j-simd", "portable", "ika4j-simd", "cuda", "ika4j-panama-cuda", "reference", "ika4j-reference");

    private Backends() {}

    /** The providers visible to this class's loader (module path or META-INF/services). */
    public static List<BackendProvider> providers() {
        return providers(ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()));
    }

    static List<BackendProvider> providers(ServiceLoader<BackendProvider> loader) {
        List<BackendProvider> out = new ArrayList<>();
        loader.stream().forEach(p -> out.add(p.get()));
        out.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return out;
    }

    /** Every provider, highest priority first, with whether it is available here and why. */
    public static List<Status> list() {
        List<Status> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            Availability a = safeAvailability(p);
            out.add(new Status(p.name(), p.priority(), a.available(), a.reason(), p.getClass().getName(), a.detail()));
        }
        return out;
    }

    private static Availability safeAvailability(BackendProvider p) {
        try {
            return p.availability();
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("probe failed: " + e);
        }
    }

    /** The configured choice: {@code -Dika.backend}, else {@code IKA_BACKEND}, else "auto". */
    public static String configuredName() {
        return Settings.BACKEND.get("auto");
    }

    /** Opens the configured backend with default settings. */
    public static AttentionBackend open() {
        return open(configuredName(), BackendConfig.defaults());
    }

    /** Opens a backend by name ("auto" for the best available) with default settings. */
    public static AttentionBackend open(String name) {
        return open(name, BackendConfig.defaults());
    }

    /**
     * Opens a backend by name, or the best available for "auto".
     *
     * @throws IllegalArgumentException      for a name no provider has (the message lists them)
     * @throws BackendUnavailableException   for a known backend that cannot run here (with its reason)
     */
    public static AttentionBackend open(String name, BackendConfig config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        String want = name.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> all = providers();
        if (want.equals("auto")) {
            List<String> skipped = new ArrayList<>();
            StringBuilder detail = new StringBuilder();
            for (BackendProvider p : all) {
                if (!p.selectableByAuto()) {
                    skipped.add(p.name() + ": chosen only by name");
                    continue;
                }
                Availability a = safeAvailability(p);
                if (a.available()) {
                    if (LOGGED_AUTO.compareAndSet(false, true)) {
                        String warning = p.autoWarning();
                        LOG.log(warning == null ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                                "ika4j: auto selected backend ''{0}''{1}{2}", p.name(),
                                warning == null ? "" : ": " + warning,
                                skipped.isEmpty() ? "" : "; not available: " + String.join("; ", skipped));
                    }
                    return p.create(config);
                }
                skipped.add(p.name() + ": " + a.reason());
                if (a.hasDetail()) detail.append('\n').append(p.name()).append(": ").append(a.detail());
            }
            String reason = "no backend is available (" + String.join("; ", skipped) + "); for the CPU add "
                    + "dev.ika4j:ika4j-simd, or ask for the float64 reference by name (-Dika.backend=reference)";
            throw new BackendUnavailableException("auto", reason, reason + detail);
        }
        for (BackendProvider p : all) {
            if (p.name().equals(want)) {
                Availability a = safeAvailability(p);
                if (!a.available()) throw new BackendUnavailableException(p.name(), a.reason(), a.detail());
                return p.create(config);
            }
        }
        List<String> names = all.stream().map(BackendProvider::name).toList();
        String artifact = ARTIFACTS.get(want);
        String hint = artifact == null ? ""
                : "; the " + want + " backend is in the artifact dev.ika4j:" + artifact + ", which is not on the "
                  + "class path or module path: add it as a dependency";
        throw new IllegalArgumentException("unknown backend '" + name + "'; known: " + names + " or auto" + hint);
    }
}
