/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Half precision on a backend: every combination of Q, K/V and output dtype against the float64
 * reference computed from the same values (drawn in float32, then rounded to each tensor's dtype,
 * so that both sides see exactly the same numbers), over random shapes (sizes 1, primes, odd head
 * dims), masks, causal, GQA and a past KV cache in heap and segment storage.
 *
 * <p>The bound: a float32 output within the backend's float32 tolerance {@code tol32}; a half
 * output within half a unit in the last place of the half value plus {@code tol32}, since the
 * backend rounds its float32 result once.
 */
final class DTypeCases {
    static final DType[] ALL = DType.values();
    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    private DTypeCases() {}

    /** One random case per dtype triple (Q, K/V, output) and seed. */
    static void checkAgainstReference(AttentionBackend subject, long seed, double epsilon, double factor) {
        SplittableRandom r = new SplittableRandom(seed);
        for (DType qt : ALL)
            for (DType kvt : ALL)
                for (DType ot : ALL) {
                    Case c = Case.random(r, qt, kvt, ot, null);
                    AttentionResult got = subject.attention(c.q, c.k, c.v, c.options);
                    AttentionResult want = REFERENCE.attention(c.q32, c.k32, c.v32, c.options32);
                    assertEquals(ot, got.output().dtype(), c + ": output dtype");
                    assertBound(c.toString(), want.output(), got.output(), tol32(c, want.output(), epsilon, factor));
                    if (c.options.scoresOutput() != null) {
                        // the attention weights, float32 whatever the dtypes: each within the error of its logit
                        double logit = Compare.maxRowNorm(c.q32) * Compare.maxRowNorm(c.k32) * c.scale();
                        assertEquals(DType.FLOAT32, got.scores().dtype(), c + ": scores stay float32");
                        Compare.assertClose(c + ": scores", want.scores(), got.scores(), factor * epsilon * (c.k32.dim() + 4) * (1 + logit));
                    }
                    if (c.options.pastKey() != null) {
                        assertEquals(kvt, got.presentKey().dtype(), c + ": present key keeps K's dtype");
                        Compare.assertIdentical(c + ": present key", want.presentKey(), got.presentKey());
                        Compare.assertIdentical(c + ": present value", want.presentValue(), got.presentValue());
                    }
                }
    }

    /** A paper kernel with half inputs gives what the same backend gives for float32 copies of them. */
    static void checkPaperKernel(AttentionBackend subject, long seed, double epsilon, double factor) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 8, heads = 2;
        AttentionKernel[] kernels = {
                RbfImportanceKernel.standardForm(),
                PaperKernels.direct(r, d, heads, 16, IkaOptions.DEFAULT)};
        for (AttentionKernel kernel : kernels)
            for (DType kvt : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
                Case c = Case.random(r, kvt, kvt, kvt, kernel);
                AttentionResult got = subject.attention(c.q, c.k, c.v, c.options);
                AttentionResult want = subject.attention(c.q32, c.k32, c.v32, c.options32);
                assertBound(kernel.name() + " " + c, want.output(), got.output(), tol32(c, want.output(), epsilon, factor));
            }
    }

    /** float32 tolerance: first-order error of a softmax-weighted sum of kv_seq terms of dim-long dots. */
    private static double tol32(Case c, Tensor want, double epsilon, double factor) {
        double vmax = Math.max(1e-30, Compare.maxAbs(c.v32));
        double logit = Compare.maxRowNorm(c.q32) * Compare.maxRowNorm(c.k32) * c.scale();
        return factor * epsilon * vmax * (c.k32.dim() + c.totalKv() + 4) * (1 + logit);
    }

    private static void assertBound(String what, Tensor want, Tensor got, double tol32) {
        DType dt = got.dtype();
        for (int b = 0; b < want.batch(); b++)
            for (int h = 0; h < want.heads(); h++)
                for (int s = 0; s < want.seq(); s++)
                    for (int x = 0; x < want.dim(); x++) {
                        float e = want.get(b, h, s, x), a = got.get(b, h, s, x);
                        if (Float.isNaN(e) || Float.isInfinite(e)) {
                            if (Float.compare(e, a) != 0) fail(what + ": expected " + e + " got " + a);
                            continue;
                        }
                        double bound = tol32 + (dt.isHalf() ? 0.5 * halfUlp(dt, Math.max(Math.abs(e), Math.abs(a))) : 0);
                        double err = Math.abs((double) a - e);
                        if (!(err <= bound)) {
                            fail(String.format(Locale.ROOT, "%s: [%d,%d,%d,%d] expected %s got %s (%s), off %.3g > %.3g",
                                    what, b, h, s, x, e, a, dt, err, bound));
                        }
                    }
    }

    /** The spacing of dtype's values at magnitude x (its subnormal spacing below the normal range). */
    static double halfUlp(DType dt, double x) {
        if (dt == DType.BFLOAT16) return Math.max(Math.ulp((float) x) * 65536.0, Math.scalb(1.0, -133));
        int e = Math.max(Math.getExponent(x), -14);
        return Math.scalb(1.0, e - 10);
    }

    /** One random call, in its dtypes and as float32 tensors of the very same values. */
    static final class Case {
        Tensor q, k, v, q32, k32, v32;
        AttentionOptions options, options32;
        String text;

        double scale() { return 1 / Math.sqrt(k32.dim()); }
        int totalKv() { return k32.seq() + (options32.pastKey() == null ? 0 : options32.pastKey().seq()); }

        static Case random(SplittableRandom r, DType qt, DType kvt, DType ot, AttentionKernel kernel) {
            int[] small = {1, 2, 3, 5, 7};
            int batch = r.nextInt(1, 3), kvHeads = r.nextInt(1, 3), group = small[r.nextInt(3)];
            int qSeq = new int[] {1, 1, 2, 3, 7, 13}[r.nextInt(6)];
            int kvSeq = new int[] {1, 2, 5, 13, 31, 67, 131}[r.nextInt(7)];
            int dim = kernel == null ? new int[] {1, 3, 8, 17, 64}[r.nextInt(5)] : 8;
            int vDim = kernel == null && r.nextBoolean() ? new int[] {1, 5, 16, 33}[r.nextInt(4)] : dim;
            int past = r.nextInt(3) == 0 ? new int[] {1, 4, 19}[r.nextInt(3)] : 0;
            if (kernel != null) kvHeads = 1;
            int heads = kernel != null ? 2 : kvHeads * group;
            boolean segment = r.nextInt(4) == 0;
            Case c = new Case();
            c.q = tensor(r, qt, batch, heads, qSeq, dim, segment);
            c.k = tensor(r, kvt, batch, kvHeads, kvSeq, dim, segment);
            c.v = tensor(r, kvt, batch, kvHeads, kvSeq, vDim, segment);
            c.q32 = c.q.copy();
            c.k32 = c.k.copy();
            c.v32 = c.v.copy();
            AttentionOptions.Builder ob = AttentionOptions.builder().outputDType(ot);
            AttentionOptions.Builder fb = AttentionOptions.builder();
            if (kernel != null) {
                ob.kernel(kernel);
                fb.kernel(kernel);
            }
            boolean causal = r.nextBoolean() && (kernel == null || !(kernel instanceof dev.ika4j.api.kernel.CopulaKernel));
            ob.causal(causal);
            fb.causal(causal);
            if (past > 0) {
                Tensor pk = tensor(r, kvt, batch, kvHeads, past, dim, false), pv = tensor(r, kvt, batch, kvHeads, past, vDim, false);
                ob.past(pk, pv);
                fb.past(pk.copy(), pv.copy());
            }
            int total = kvSeq + past;
            if (kernel == null && r.nextInt(3) == 0) {
                AttentionMask m;
                if (r.nextBoolean()) {
                    boolean[] a = new boolean[qSeq * total];
                    for (int i = 0; i < a.length; i++) a[i] = r.nextInt(4) != 0;
                    m = AttentionMask.bool(a, qSeq, total);
                } else {
                    float[] a = new float[qSeq * total];
                    for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() * 4 - 2);
                    m = AttentionMask.additive(a, qSeq, total);
                }
                ob.mask(m);
                fb.mask(m);
            }
            if (kernel == null && r.nextInt(3) == 0) {
                ob.scoresOutput(dev.ika4j.api.ScoreStage.AFTER_SOFTMAX);
                fb.scoresOutput(dev.ika4j.api.ScoreStage.AFTER_SOFTMAX);
            }
            c.options = ob.build();
            c.options32 = fb.build();
            c.text = String.format(Locale.ROOT, "Q %s, K/V %s, out %s: batch %d, heads %d/%d, q %d, kv %d+%d past, dim %d/%d%s%s%s",
                    qt, kvt, ot, batch, heads, kvHeads, qSeq, kvSeq, past, dim, vDim, causal ? ", causal" : "",
                    c.options.mask() != null ? ", mask" : "", (c.options.scoresOutput() != null ? ", scores" : "") + (segment ? ", segments" : ""));
            return c;
        }

        /** N(0, 1) values rounded to dtype, in a heap array or a segment of that dtype. */
        private static Tensor tensor(SplittableRandom r, DType dt, int b, int h, int s, int d, boolean segment) {
            int n = b * h * s * d;
            Tensor t = segment
                    ? Tensor.bhsd(Arena.ofAuto().allocate((long) n * dt.byteSize(), 4), dt, b, h, s, d)
                    : Tensor.zerosBhsd(dt, b, h, s, d);
            for (int bb = 0; bb < b; bb++)
                for (int hh = 0; hh < h; hh++)
                    for (int ss = 0; ss < s; ss++)
                        for (int dd = 0; dd < d; dd++) t.set(bb, hh, ss, dd, (float) r.nextGaussian());
            return t;
        }

        @Override
        public String toString() { return text; }
    }

    /** The dtype rules: each bad combination an IllegalArgumentException naming argument, dtype and shape. */
    static void checkRules(AttentionBackend subject) {
        Tensor q = Tensor.zerosBhsd(1, 2, 3, 4);
        Tensor k16 = Tensor.zerosBhsd(DType.FLOAT16, 1, 2, 5, 4), vb16 = Tensor.zerosBhsd(DType.BFLOAT16, 1, 2, 5, 4);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> subject.attention(q, k16, vb16, AttentionOptions.DEFAULT));
        assertTrue(e.getMessage().contains("K [1, 2, 5, 4] FLOAT16") && e.getMessage().contains("V [1, 2, 5, 4] BFLOAT16"),
                e.getMessage());
        Tensor v16 = Tensor.zerosBhsd(DType.FLOAT16, 1, 2, 5, 4);
        AttentionOptions past32 = AttentionOptions.builder().past(Tensor.zerosBhsd(1, 2, 2, 4), Tensor.zerosBhsd(1, 2, 2, 4)).build();
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> subject.supports(q, k16, v16, past32));
        assertTrue(e.getMessage().contains("pastKey [1, 2, 2, 4]") && e.getMessage().contains("FLOAT32")
                && e.getMessage().contains("FLOAT16"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tensor.bhsd(new short[7], DType.FLOAT16, 1, 2, 1, 4));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("needs 8"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tensor.bhsd(new short[8], DType.FLOAT32, 1, 2, 1, 4));
        assertTrue(e.getMessage().contains("FLOAT32"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tensor.bhsd(MemorySegment.ofArray(new short[7]), DType.BFLOAT16, 1, 2, 1, 4));
        assertTrue(e.getMessage().contains("14 bytes") && e.getMessage().contains("BFLOAT16"), e.getMessage());
    }
}
