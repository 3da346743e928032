package dev.ika4j.simd.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two machine facts every kernel is compiled against, read once per JVM: the vector width
 * (setting {@code ika.simd.vectorBits}) and whether a vector FMA is fast here (setting
 * {@code ika.simd.fma}, default: detected). Kept apart from {@link VectorMath} so that
 * {@link #problem()} can check the setting without initialising any kernel class.
 */
public final class SimdWidth {
    /** System property: 128, 256 or 512; unset means the Vector API's preferred species. */
    public static final String VECTOR_BITS = "ika.simd.vectorBits";
    /** System property: true, false or auto (the default). */
    public static final String FMA = "ika.simd.fma";

    private SimdWidth() {}

    /**
     * Why the width setting cannot be used, or null when it can: a value other than 128, 256 or
     * 512, or wider than this CPU's vectors (the Vector API would then run in slow Java).
     */
    public static String problem() {
        String v = System.getProperty(VECTOR_BITS);
        if (v == null || v.isBlank()) return null;
        int bits;
        try {
            bits = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return VECTOR_BITS + "=" + v + ": must be 128, 256 or 512";
        }
        if (bits != 128 && bits != 256 && bits != 512) return VECTOR_BITS + "=" + v + ": must be 128, 256 or 512";
        int max = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits > max) return VECTOR_BITS + "=" + bits + " is wider than this CPU's " + max + "-bit vectors";
        return null;
    }

    /** The species the setting asks for; the preferred one when unset or unusable (see {@link #problem()}). */
    static VectorSpecies<Float> species() {
        if (problem() != null || System.getProperty(VECTOR_BITS) == null || System.getProperty(VECTOR_BITS).isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        return FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Integer.parseInt(System.getProperty(VECTOR_BITS).trim())))
                .check(float.class);
    }

    /**
     * Lucene's rule ({@code Constants.HAS_FAST_VECTOR_FMA}): the JVM must use FMA instructions at
     * all ({@code -XX:+UseFMA}, on by default where the CPU has them); on AMD before wide vectors
     * the fused form gains nothing, so it is used there only from 256-bit vectors; elsewhere on
     * x86 and on ARM it is. {@code ika.simd.fma=true|false} overrides the detection (tests run
     * the multiply-add form that way).
     */
    static boolean fastFma(int bits) {
        String v = System.getProperty(FMA, "auto").trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        if (!vmUsesFma()) return false;
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64")) return !System.getProperty("os.name", "").startsWith("Mac");
        if (isAmd()) return bits >= 256;
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    private static boolean vmUsesFma() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null || Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError notHotSpot) {
            return true; // no way to ask: assume the common case
        }
    }

    private static boolean isAmd() {
        try {
            Path info = Path.of("/proc/cpuinfo");
            if (!Files.isReadable(info)) return false;
            try (var lines = Files.lines(info)) {
                return lines.filter(l -> l.startsWith("vendor_id")).findFirst().map(l -> l.contains("AuthenticAMD")).orElse(false);
            }
        } catch (Exception e) {
            return false;
        }
    }
}
