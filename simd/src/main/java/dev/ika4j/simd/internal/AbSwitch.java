package dev.ika4j.simd.internal;

/** TEMP-AB: old/new switch for interleaved A/B timing; removed before landing. */
public final class AbSwitch {
    public static boolean on = true;
    private AbSwitch() {}
}
