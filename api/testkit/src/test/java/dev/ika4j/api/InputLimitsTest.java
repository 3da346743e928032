/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.testkit.PaperKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, findings 1, 2, 3, 10 and 11: sizes that overflow, outputs too large for an array,
 * options that do not survive the conversion to float32, the copula under causal masking, and the
 * reference after close() and without keys. Each bad input is an IllegalArgumentException (or
 * IllegalStateException for a closed backend) whose message names what is wrong.
 */
class InputLimitsTest {
    private static IllegalArgumentException rejects(org.junit.jupiter.api.function.Executable call, String... named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String n : named) assertTrue(e.getMessage().contains(n), () -> "message '" + e.getMessage() + "' should name " + n);
        return e;
    }

    /** Finding 1: 2^16 x 2^16 x 2^16 x 2^16 wrapped to 0 elements and was accepted with an empty array. */
    @Test
    void shapeProductsThatOverflowAreRejected() {
        int big = 1 << 16;
        rejects(() -> Tensor.bhsd(new float[0], big, big, big, big), "2^60", "batch 65536");
        rejects(() -> Tensor.bshd(new float[0], big, big, big, big), "2^60");
        rejects(() -> Tensor.zerosBhsd(big, big, big, big), "2^60");
        rejects(() -> Tensor.bhsd(new short[0], DType.FLOAT16, big, big, big, big), "2^60");
        rejects(() -> AttentionMask.bool(new boolean[0], big, big, big, big), "mask", "2^60");
        rejects(() -> AttentionMask.additive(new float[0], big, big, big, big), "mask", "2^60");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(16);
            rejects(() -> Tensor.bhsd(s, DType.FLOAT32, big, big, big, big), "2^60");
            // Integer.MAX_VALUE dims: the byte count used to be negative ("needs -34359738364 bytes")
            IllegalArgumentException e = rejects(() -> Tensor.bhsd(s, DType.FLOAT32, 1, 1, Integer.MAX_VALUE, 4), "segment");
            assertTrue(!e.getMessage().contains("-"), e.getMessage());
            rejects(() -> Tensor.bhsd(s, DType.FLOAT32, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 4), "2^60");
        }
    }

    /** Finding 2: an output of 2^31 values gave "ArithmeticException: integer overflow" at Tensor.like. */
    @Test
    void outputsTooLargeForAnArrayNameTheOutput() {
        Tensor q = Tensor.zerosBhsd(1, 1, 65536, 1), k = Tensor.zerosBhsd(1, 1, 1, 1), v = Tensor.zerosBhsd(1, 1, 1, 32768);
        try (ReferenceBackend ref = new ReferenceBackend()) {
            rejects(() -> ref.attention(q, k, v), "output Y", "65536", "32768");
            Tensor k2 = Tensor.zerosBhsd(1, 1, 40000, 1), v2 = Tensor.zerosBhsd(1, 1, 40000, 1);
            rejects(() -> ref.attention(q, k2, v2, AttentionOptions.builder().returnEnergy(true).build()), "energy", "40000");
        }
    }

    /** Finding 3: scale(1e39) gave all-NaN output, softcap(1e-46) silently turned capping off. */
    @Test
    void optionsMustSurviveTheFloat32Conversion() {
        rejects(() -> AttentionOptions.builder().scale(1e39), "scale", "1.0E39");
        rejects(() -> AttentionOptions.builder().softcap(1e39), "softcap");
        rejects(() -> AttentionOptions.builder().softcap(1e-46), "softcap", "0");
        rejects(() -> AttentionOptions.builder().scale(1e-46), "scale");
        rejects(() -> IkaOptions.builder().eps(1e-50).build(), "eps");
        // the edges themselves are fine
        AttentionOptions.builder().scale(Float.MAX_VALUE).softcap(Float.MIN_VALUE).scale(0).softcap(0).build();
    }

    /** Finding 10: the copula's encoder pools the whole sequence, so causal copula is refused, with the reason. */
    @Test
    void copulaRefusesCausal() {
        PaperKernels pk = new PaperKernels(10);
        int d = 4, m = 2;
        var kernel = pk.copulaKernel(d, m, pk.copulaNoise(1, d, 1, m), IkaOptions.DEFAULT);
        Tensor q = Tensor.zerosBhsd(1, 1, 3, d), v = Tensor.zerosBhsd(1, 1, 3, 2);
        try (ReferenceBackend ref = new ReferenceBackend()) {
            rejects(() -> ref.attention(q, q, v, AttentionOptions.builder().kernel(kernel).causal(true).build()), "copula", "causal");
            ref.attention(q, q, v, AttentionOptions.builder().kernel(kernel).build());  // non-causal still runs
        }
    }

    /** Finding 11: the reference kept working after close(); the energy for kv_seq 0 held 0.0. */
    @Test
    void referenceRefusesWorkAfterClose() {
        ReferenceBackend ref = new ReferenceBackend();
        Tensor t = Tensor.bhsd(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        ref.attention(t, t, t);
        ref.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ref.attention(t, t, t));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ref.upload(t));
        assertThrows(IllegalStateException.class, () -> ref.allocate(1, 1, 1, 1));
    }

    @Test
    void energyWithoutKeysIsMasked() {
        Tensor q = Tensor.bhsd(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor k = Tensor.zerosBhsd(1, 1, 0, 2), v = Tensor.zerosBhsd(1, 1, 0, 3);
        try (ReferenceBackend ref = new ReferenceBackend()) {
            AttentionResult r = ref.attention(q, k, v, AttentionOptions.builder().returnEnergy(true).build());
            assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, r.energy().toArray());
            assertArrayEquals(new float[6], r.output().toArray());
        }
    }
}
