package dev.ika4j.api;

import dev.ika4j.api.spi.Availability;
import dev.ika4j.api.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds backends through {@link ServiceLoader} and opens one.
 *
 * <p>Selection: the system property {@code ika.backend}, else the environment variable
 * {@code IKA_BACKEND}, else {@code auto}. {@code auto} takes the available backend of highest
 * priority and logs its choice once; a name picks that backend or fails with its reason.
 */
public final class Backends {
    /** One provider's status, for users and the demo. */
    public record Status(String name, int priority, boolean available, String reason, String providerClass) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-10s priority %3d  %s  %s", name, priority,
                    available ? "available  " : "unavailable", reason);
        }
    }

    private static final System.Logger LOG = System.getLogger("dev.ika4j");
    private static final AtomicBoolean LOGGED_AUTO = new AtomicBoolean();

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
            out.add(new Status(p.name(), p.priority(), a.available(), a.reason(), p.getClass().getName()));
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
        if (name == null) throw new IllegalArgumentException("backend name must not be null");
        String want = name.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> all = providers();
        if (want.equals("auto")) {
            StringBuilder skipped = new StringBuilder();
            for (BackendProvider p : all) {
                Availability a = safeAvailability(p);
                if (a.available()) {
                    if (LOGGED_AUTO.compareAndSet(false, true)) {
                        LOG.log(System.Logger.Level.INFO, "ika4j: auto selected backend ''{0}''{1}", p.name(),
                                skipped.isEmpty() ? "" : " (skipped" + skipped + ")");
                    }
                    return p.create(config);
                }
                skipped.append(' ').append(p.name()).append(": ").append(a.reason()).append(';');
            }
            throw new BackendUnavailableException("auto", "no backend is available:" + skipped);
        }
        for (BackendProvider p : all) {
            if (p.name().equals(want)) {
                Availability a = safeAvailability(p);
                if (!a.available()) throw new BackendUnavailableException(p.name(), a.reason());
                return p.create(config);
            }
        }
        List<String> names = all.stream().map(BackendProvider::name).toList();
        throw new IllegalArgumentException("unknown backend '" + name + "'; known: " + names + " or auto");
    }
}
