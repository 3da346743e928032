/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit.property;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.testkit.PaperKernels;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Seeded invalid calls for the property suite: each seed breaks one thing (a shape, a mask, the
 * lengths, a past cache, an option, a null, an overflowing size, an option combination a kernel
 * refuses) and says which words the exception's message must contain. The call may fail while its
 * arguments are built (a tensor or option factory) or in the backend; either way only
 * IllegalArgumentException or NullPointerException is allowed.
 */
public final class BadCalls {
    private BadCalls() {}

    /** One invalid call and the words (lower case) its message must name. */
    public record Bad(long seed, String description, Function<AttentionBackend, Object> call, String... named) {
        @Override
        public String toString() {
            return "bad seed " + seed + ": " + description;
        }
    }

    private static Tensor t(SplittableRandom r, int b, int h, int s, int d) {
        float[] a = new float[b * h * s * d];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        return Tensor.bhsd(a, b, h, s, d);
    }

    /** The invalid call of {@code seed}. */
    public static Bad bad(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + 3);
        int b = 1 + r.nextInt(2), kvh = 1 + r.nextInt(2), qh = kvh * (1 + r.nextInt(2)), qs = 1 + r.nextInt(5),
                ks = 1 + r.nextInt(6), d = 1 + r.nextInt(6), dv = 1 + r.nextInt(5);
        Tensor q = t(r, b, qh, qs, d), k = t(r, b, kvh, ks, d), v = t(r, b, kvh, ks, dv);
        AttentionOptions ok = AttentionOptions.DEFAULT;
        int kind = r.nextInt(22);
        return switch (kind) {
            case 0 -> new Bad(seed, "head_dim of K differs", be -> be.attention(q, t(r, b, kvh, ks, d + 1), v, ok), "head_dim");
            case 1 -> new Bad(seed, "batch of V differs", be -> be.attention(q, k, t(r, b + 1, kvh, ks, dv), ok), "batch");
            case 2 -> new Bad(seed, "kv_seq of V differs", be -> be.attention(q, k, t(r, b, kvh, ks + 1, dv), ok), "kv_seq");
            case 3 -> new Bad(seed, "q_heads not a multiple of kv_heads",
                    be -> be.attention(t(r, b, 2 * kvh + 1, qs, d), t(r, b, 2 * kvh, ks, d), t(r, b, 2 * kvh, ks, dv), ok), "kv_heads");
            case 4 -> new Bad(seed, "mask that does not broadcast",
                    be -> be.attention(q, k, v, AttentionOptions.builder().mask(AttentionMask.bool(new boolean[2 * (qs + 1)], 2, qs + 1, 1))
                            .build()), "mask");
            case 5 -> new Bad(seed, "mask wider than kv_seq",
                    be -> be.attention(q, k, v, AttentionOptions.builder().mask(AttentionMask.additive(new float[ks + 2], ks + 2)).build()),
                    "mask");
            case 6 -> new Bad(seed, "kvLengths of the wrong length",
                    be -> be.attention(q, k, v, AttentionOptions.builder().kvLengths(new int[b + 1]).build()), "kvlengths");
            case 7 -> new Bad(seed, "kvLengths beyond kv_seq",
                    be -> be.attention(q, k, v, AttentionOptions.builder().kvLengths(filled(b, ks + 1 + r.nextInt(3))).build()),
                    "kvlengths");
            case 8 -> new Bad(seed, "negative kvLengths",
                    be -> be.attention(q, k, v, AttentionOptions.builder().kvLengths(filled(b, -1)).build()), "kvlengths");
            case 9 -> new Bad(seed, "past key of another head_dim",
                    be -> be.attention(q, k, v, AttentionOptions.builder().past(t(r, b, kvh, 2, d + 1), t(r, b, kvh, 2, dv)).build()),
                    "pastkey");
            case 10 -> new Bad(seed, "past key without past value",
                    be -> be.attention(q, k, v, AttentionOptions.builder().past(t(r, b, kvh, 2, d), null).build()), "pastvalue");
            case 11 -> {
                int which = r.nextInt(4);
                String name = new String[] {"q", "k", "v", "options"}[which];
                yield new Bad(seed, "null " + name, be -> be.attention(which == 0 ? null : q, which == 1 ? null : k,
                        which == 2 ? null : v, which == 3 ? null : ok), name);
            }
            case 12 -> {
                double s = new double[] {Double.NaN, -1, Double.POSITIVE_INFINITY, 1e39, 1e-46}[r.nextInt(5)];
                yield new Bad(seed, "scale " + s, be -> be.attention(q, k, v, AttentionOptions.builder().scale(s).build()), "scale");
            }
            case 13 -> {
                double s = new double[] {Double.NaN, -0.5, Double.NEGATIVE_INFINITY, 1e39, 1e-46}[r.nextInt(5)];
                yield new Bad(seed, "softcap " + s, be -> be.attention(q, k, v, AttentionOptions.builder().softcap(s).build()), "softcap");
            }
            case 14 -> new Bad(seed, "tensor data of the wrong length",
                    be -> be.attention(Tensor.bhsd(new float[b * qh * qs * d + 1], b, qh, qs, d), k, v, ok), "data");
            case 15 -> {
                int big = 1 << (16 + r.nextInt(2));
                yield new Bad(seed, "shape product that overflows", be -> Tensor.bhsd(new float[0], big, big, big, big), "2^60");
            }
            case 16 -> new Bad(seed, "a dimension below 1", be -> Tensor.zerosBhsd(b, 0, qs, d), "dimension");
            case 17 -> new Bad(seed, "mask data shorter than its dims",
                    be -> AttentionMask.bool(new boolean[qs * ks - 1 + (qs * ks == 1 ? 2 : 0)], qs, ks), "mask");
            case 18 -> {
                PaperKernels pk = new PaperKernels(seed);
                yield new Bad(seed, "paper kernel with softcap", be -> be.attention(q, k, v, AttentionOptions.builder()
                        .kernel(pk.direct(d, qh, 2, 1, IkaOptions.DEFAULT)).softcap(2).build()), "softcap");
            }
            case 19 -> {
                PaperKernels pk = new PaperKernels(seed);
                yield new Bad(seed, "copula with causal", be -> be.attention(q, k, v, AttentionOptions.builder()
                        .kernel(pk.copulaKernel(d, 2, pk.copulaNoise(b, d, qh, 2), IkaOptions.DEFAULT)).causal(true).build()),
                        "causal", "copula");
            }
            case 20 -> new Bad(seed, "half-precision words declared FLOAT32",
                    be -> Tensor.bhsd(new short[b * qh * qs * d], DType.FLOAT32, b, qh, qs, d), "dtype");
            default -> new Bad(seed, "eps below the float32 range", be -> IkaOptions.builder().eps(1e-50).build(), "eps");
        };
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
