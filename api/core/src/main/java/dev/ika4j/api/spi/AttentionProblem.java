/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.spi;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.DType;
import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.StandardKernel;
import java.util.Arrays;
import java.util.Objects;

/**
 * One validated attention call with every default resolved, so backends compute and never
 * re-validate. Built by {@link #of}; every shape error is an {@link IllegalArgumentException}
 * that names the argument and the shapes.
 *
 * <p>{@link #k()} and {@link #v()} are the new keys and values as passed; {@link #presentKey()} and
 * {@link #presentValue()} the total: the past cache, if any, followed by the new ones.
 */
public final class AttentionProblem {
    private final Tensor q, k, v;
    private final Tensor presentKey, presentValue;
    private final int batch, qHeads, kvHeads, group, qSeq, kvSeq, pastSeq, dim, vDim;
    private final float scale;
    private final boolean causal;
    private final MaskRows mask;
    private final float softcap;
    private final int[] kvLengths;
    private final AttentionKernel kernel;
    private final boolean returnEnergy;
    private final ScoreStage scoresOutput;
    private final dev.ika4j.api.Neighbourhood neighbourhood;
    private final DType outputDType;

    private AttentionProblem(Tensor q, Tensor k, Tensor v, Tensor pk, Tensor pv, int pastSeq, AttentionOptions o, int[] lens) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.presentKey = pk;
        this.presentValue = pv;
        this.batch = q.batch();
        this.qHeads = q.heads();
        this.kvHeads = k.heads();
        this.group = qHeads / kvHeads;
        this.qSeq = q.seq();
        this.kvSeq = pk.seq();
        this.pastSeq = pastSeq;
        this.dim = q.dim();
        this.vDim = v.dim();
        this.scale = resolveScale(dim, o);
        this.causal = o.causal();
        this.mask = o.mask() == null ? null : MaskRows.of(o.mask());
        this.softcap = o.softcap();
        this.kvLengths = lens;
        this.kernel = o.kernel();
        this.returnEnergy = o.returnEnergy();
        this.scoresOutput = o.scoresOutput();
        this.neighbourhood = o.neighbourhood();
        this.outputDType = o.outputDType() == null ? q.dtype() : o.outputDType();
    }

    /** Validates a host call and resolves its defaults; concatenates a past cache if given. */
    public static AttentionProblem of(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        checkNotNull(q, k, v, options);
        checkShapes(q, k, v, options);
        int past = checkPast(k, v, options);
        checkHostOutputs(q, k, v, past, options);
        Tensor pk = k, pv = v;
        if (past > 0 || options.pastKey() != null) {
            pk = concatSeq(options.pastKey(), k);
            pv = concatSeq(options.pastValue(), v);
        }
        return resolve(q, k, v, pk, pv, past, options);
    }

    /**
     * Every check {@link #of} makes, without resolving anything or copying a past cache: what a
     * backend's {@code supports} runs before it answers.
     *
     * @throws NullPointerException     naming a null argument
     * @throws IllegalArgumentException naming the argument and the shapes
     */
    public static void validate(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        checkNotNull(q, k, v, options);
        checkShapes(q, k, v, options);
        int past = checkPast(k, v, options);
        checkHostOutputs(q, k, v, past, options);
        checkMaskAndLengths(ShapeLike.of(q), k.seq() + past, options);
    }

    /** The most elements a heap tensor holds (a Java array's practical limit). */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * The arrays a host call creates: the output Y [batch, q_heads, q_seq, v_dim], the present K
     * and V when a past is concatenated, and the energy [batch, q_heads, q_seq, total_kv_seq] when
     * asked. Each must fit one Java array; the message names the output and its shape.
     */
    private static void checkHostOutputs(Tensor q, Tensor k, Tensor v, int past, AttentionOptions o) {
        long total = (long) k.seq() + past;
        if (total > MAX_ARRAY) {
            throw new IllegalArgumentException("pastKey " + o.pastKey().shapeString() + " plus K " + k.shapeString() + " make "
                    + total + " keys, more than one tensor holds");
        }
        checkFits("the output Y", q.batch(), q.heads(), q.seq(), v.dim());
        if (past > 0) {
            checkFits("the present key (pastKey + K)", k.batch(), k.heads(), (int) total, k.dim());
            checkFits("the present value (pastValue + V)", v.batch(), v.heads(), (int) total, v.dim());
        }
        if (o.returnEnergy()) checkFits("the energy output (returnEnergy)", q.batch(), q.heads(), q.seq(), (int) Math.max(total, 1));
    }

    private static void checkFits(String what, int b, int h, int s, int d) {
        double n = (double) b * h * s * d;  // in double: four factors below 2^31 could overflow a long
        if (n > MAX_ARRAY) {
            throw new IllegalArgumentException(what + " [" + b + ", " + h + ", " + s + ", " + d + "] would have "
                    + String.format(java.util.Locale.ROOT, "%.0f", n) + " values, more than one Java array holds (" + MAX_ARRAY
                    + "); split the call (fewer query rows or heads per call)");
        }
    }

    /** The past cache's length after checking it against K and V; 0 without one. */
    private static int checkPast(Tensor k, Tensor v, AttentionOptions options) {
        if (options.pastKey() == null) return 0;
        Tensor pastK = options.pastKey(), pastV = options.pastValue();
        if (pastK.batch() != k.batch() || pastK.heads() != k.heads() || pastK.dim() != k.dim()) {
            throw new IllegalArgumentException("pastKey " + pastK.shapeString() + " does not match K "
                    + k.shapeString() + " in batch, kv_heads or head_dim");
        }
        if (pastV.batch() != v.batch() || pastV.heads() != v.heads() || pastV.dim() != v.dim()
                || pastV.seq() != pastK.seq()) {
            throw new IllegalArgumentException("pastValue " + pastV.shapeString() + " does not match V "
                    + v.shapeString() + " / pastKey " + pastK.shapeString());
        }
        return pastK.seq();
    }

    /** Validates a call on shapes alone (for resident tensors, which carry no past). */
    public static AttentionProblem ofShapes(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        checkNotNull(q, k, v, options);
        checkResident(ShapeLike.of(q), ShapeLike.of(k), ShapeLike.of(v), options);
        return new AttentionProblem(q, k, v, k, v, 0, options, resolveLengths(q.batch(), k.seq(), options));
    }

    /**
     * Every check of a call on resident tensors (shapes alone: no past cache, no energy or scores
     * output), with the host form's messages; the one resolution that {@link #ofShapes} and a
     * device backend's resident form share, with {@link #resolveScale} and {@link #resolveLengths}.
     */
    public static void checkResident(ShapeLike q, ShapeLike k, ShapeLike v, AttentionOptions o) {
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(k, "k");
        Objects.requireNonNull(v, "v");
        Objects.requireNonNull(o, "options");
        if (o.pastKey() != null) {
            throw new IllegalArgumentException("a past KV cache needs the host form of attention(); resident calls take none");
        }
        if (o.returnEnergy()) {
            throw new IllegalArgumentException("returnEnergy needs the host form of attention(); resident calls return none");
        }
        checkNoScoresResident(o);
        checkCopulaNotCausal(o);
        checkShapes(q, k, v);
        checkQuerySeq(q);
        checkMaskAndLengths(q, k.seq(), o);
    }

    /** The scale with its default 1/sqrt(head_dim). */
    public static float resolveScale(int dim, AttentionOptions o) {
        Objects.requireNonNull(o, "o");
        return o.scale() == null ? (float) (1.0 / Math.sqrt(dim)) : o.scale().floatValue();
    }

    /** The valid key count per batch, every batch {@code total} where the options set none (checked before). */
    public static int[] resolveLengths(int batch, int total, AttentionOptions o) {
        Objects.requireNonNull(o, "o");
        int[] lens = o.kvLengths();
        if (lens != null) return lens.clone();
        lens = new int[batch];
        Arrays.fill(lens, total);
        return lens;
    }

    private static AttentionProblem resolve(Tensor q, Tensor k, Tensor v, Tensor pk, Tensor pv, int past, AttentionOptions o) {
        int total = pk.seq();
        checkMaskAndLengths(ShapeLike.of(q), total, o);
        return new AttentionProblem(q, k, v, pk, pv, past, o, resolveLengths(q.batch(), total, o));
    }

    private static void checkMaskAndLengths(ShapeLike q, int total, AttentionOptions o) {
        if (o.mask() != null) MaskRows.of(o.mask()).checkBroadcast(q.batch(), q.heads(), q.seq(), total);
        if (o.scoresOutput() != null) {
            long n = (long) q.batch() * q.heads() * q.seq() * Math.max(total, 1);
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("scoresOutput(" + o.scoresOutput() + "): [" + q.batch() + ", " + q.heads() + ", "
                        + q.seq() + ", " + total + "] = " + n + " scores do not fit one Java array; ask for them in smaller calls");
            }
        }
        if (o.kernel() instanceof dev.ika4j.api.kernel.GatKernel g) {
            if (!g.aSrc().hasShape(q.heads(), q.dim())) {
                throw new IllegalArgumentException("gat: aSrc and aDst are " + g.aSrc().shapeString() + " but Q " + q.shapeString()
                        + " needs [q_heads, d] = [" + q.heads() + ", " + q.dim() + "]");
            }
            if (o.softcap() > 0) throw new IllegalArgumentException("gat: soft-capping (" + o.softcap() + ") does not apply to GAT's score");
        }
        if (o.neighbourhood() != null) {
            if (o.mask() != null) {
                throw new IllegalArgumentException("neighbourhood and mask cannot be combined (Q " + q.shapeString()
                        + "): fold the mask into the neighbourhood's key lists");
            }
            if (o.scoresOutput() != null) {
                throw new IllegalArgumentException("neighbourhood and scoresOutput(" + o.scoresOutput()
                        + ") cannot be combined: the scores output is a dense [q_seq, kv_seq] matrix");
            }
            o.neighbourhood().check(q.batch(), q.seq(), total, q.shapeString());
        }
        int[] lens = o.kvLengths();
        if (lens == null) return;
        if (lens.length != q.batch()) {
            throw new IllegalArgumentException("kvLengths has " + lens.length + " entries but Q " + q.shapeString()
                    + " has batch " + q.batch());
        }
        for (int b = 0; b < lens.length; b++) {
            if (lens[b] < 0 || lens[b] > total) {
                throw new IllegalArgumentException("kvLengths[" + b + "] = " + lens[b] + " is outside [0, " + total
                        + "] (total kv_seq, past included)");
            }
        }
    }

    private static void checkQuerySeq(ShapeLike q) {
        if (q.seq() < 1) throw new IllegalArgumentException("Q " + q.shapeString() + " must have q_seq >= 1");
    }

    /** The shape checks shared by host and resident calls. */
    public static void checkShapes(ShapeLike q, ShapeLike k, ShapeLike v) {
        if (q.dim() != k.dim()) {
            throw new IllegalArgumentException("Q " + q.shapeString() + " and K " + k.shapeString()
                    + " must have the same head_dim");
        }
        if (k.batch() != q.batch() || v.batch() != q.batch()) {
            throw new IllegalArgumentException("batch differs: Q " + q.shapeString() + ", K " + k.shapeString() + ", V "
                    + v.shapeString());
        }
        if (k.heads() != v.heads() || k.seq() != v.seq()) {
            throw new IllegalArgumentException("K " + k.shapeString() + " and V " + v.shapeString()
                    + " must have the same kv_heads and kv_seq");
        }
        if (q.heads() % k.heads() != 0) {
            throw new IllegalArgumentException("q_heads (" + q.heads() + ", Q " + q.shapeString()
                    + ") must be a multiple of kv_heads (" + k.heads() + ", K " + k.shapeString() + ")");
        }
    }

    private static void checkNotNull(Tensor q, Tensor k, Tensor v, AttentionOptions o) {
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(k, "k");
        Objects.requireNonNull(v, "v");
        Objects.requireNonNull(o, "options");
    }

    /**
     * The scores output: a host call's, of the standard kernel (the stages are those of the ONNX
     * operator; a paper kernel's logits come through returnEnergy). Shared with resident forms.
     */
    public static void checkScores(AttentionOptions o) {
        Objects.requireNonNull(o, "o");
        if (o.scoresOutput() == null) return;
        if (!(o.kernel() instanceof StandardKernel)) {
            throw new IllegalArgumentException("scoresOutput(" + o.scoresOutput() + ") is standard attention's (the ONNX "
                    + "operator's qk_matmul_output); kernel " + o.kernel().name() + " returns its logits through returnEnergy");
        }
    }

    /** Resident calls return only the output; the scores output needs the host form. */
    public static void checkNoScoresResident(AttentionOptions o) {
        Objects.requireNonNull(o, "o");
        if (o.scoresOutput() != null) {
            throw new IllegalArgumentException("scoresOutput(" + o.scoresOutput()
                    + ") needs the host form of attention(); resident calls return none");
        }
    }

    /**
     * The copula kernel's encoder pools over every query and key of the sequence (section 5 of
     * the paper), so under causal masking each position's spectral points would depend on later
     * positions: refused rather than silently leaking the future. Shared with resident forms.
     */
    public static void checkCopulaNotCausal(AttentionOptions o) {
        Objects.requireNonNull(o, "o");
        if (o.causal() && o.kernel() instanceof dev.ika4j.api.kernel.CopulaKernel) {
            throw new IllegalArgumentException("kernel copula cannot be causal: its encoder pools over every query and key "
                    + "of the sequence (section 5 of the paper), so each position would depend on later ones; use ika-direct, "
                    + "ika-generator or rbf-importance for causal attention");
        }
    }

    private static void checkShapes(Tensor q, Tensor k, Tensor v, AttentionOptions o) {
        checkScores(o);
        checkCopulaNotCausal(o);
        checkShapes(ShapeLike.of(q), ShapeLike.of(k), ShapeLike.of(v));
        checkDTypes(k, v, o);
        checkQuerySeq(ShapeLike.of(q));
    }

    /**
     * The dtype rules of {@link AttentionOptions}: K and V of one dtype, the past cache in it too
     * (Q's and the output's are free; masks hold only boolean or float32 values by construction).
     */
    private static void checkDTypes(Tensor k, Tensor v, AttentionOptions o) {
        if (k.dtype() != v.dtype()) {
            throw new IllegalArgumentException("K " + k.shapeString() + " is " + k.dtype() + " but V " + v.shapeString()
                    + " is " + v.dtype() + ": K and V must have one dtype");
        }
        Tensor pk = o.pastKey(), pv = o.pastValue();
        if (pk != null && pk.dtype() != k.dtype()) {
            throw new IllegalArgumentException("pastKey " + pk.shapeString() + " is " + pk.dtype() + " but K " + k.shapeString()
                    + " is " + k.dtype() + ": the past cache must have K's dtype");
        }
        if (pv != null && pv.dtype() != v.dtype()) {
            throw new IllegalArgumentException("pastValue " + pv.shapeString() + " is " + pv.dtype() + " but V " + v.shapeString()
                    + " is " + v.dtype() + ": the past cache must have V's dtype");
        }
    }

    /**
     * A heap BHSD tensor of a's dtype holding a followed by b along the sequence axis (b of the
     * same dtype: a half cache is copied bit for bit, never through a rounding).
     */
    public static Tensor concatSeq(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Tensor out = Tensor.zerosBhsd(a.dtype(), a.batch(), a.heads(), a.seq() + b.seq(), a.dim());
        float[] row = new float[a.dim()];
        for (int bb = 0; bb < a.batch(); bb++) {
            for (int h = 0; h < a.heads(); h++) {
                for (int s = 0; s < a.seq(); s++) {
                    a.readRow(bb, h, s, row, 0);
                    out.writeRow(bb, h, s, row, 0);
                }
                for (int s = 0; s < b.seq(); s++) {
                    b.readRow(bb, h, s, row, 0);
                    out.writeRow(bb, h, a.seq() + s, row, 0);
                }
            }
        }
        return out;
    }

    // ---- the resolved call ------------------------------------------------------------------

    /** The queries [batch, q_heads, q_seq, head_dim]. */
    public Tensor q() { return q; }
    /** The new keys, as passed (without the past). */
    public Tensor k() { return k; }
    /** The new values, as passed (without the past). */
    public Tensor v() { return v; }
    /** Keys including the past: what ONNX returns as present_key; K itself without a past. */
    public Tensor presentKey() { return presentKey; }
    /** Values including the past: what ONNX returns as present_value; V itself without a past. */
    public Tensor presentValue() { return presentValue; }
    public int batch() { return batch; }
    public int qHeads() { return qHeads; }
    public int kvHeads() { return kvHeads; }
    /** q_heads / kv_heads: how many query heads share one KV head. */
    public int group() { return group; }
    public int qSeq() { return qSeq; }
    /** Total key count, the past included. */
    public int kvSeq() { return kvSeq; }
    public int pastSeq() { return pastSeq; }
    /** head_dim of Q and K. */
    public int dim() { return dim; }
    /** head_dim of V, and of the output. */
    public int vDim() { return vDim; }
    /** The scale with its default 1/sqrt(head_dim) resolved. */
    public float scale() { return scale; }
    public boolean causal() { return causal; }
    /** The mask as backends read it, or null when the call has none. */
    public MaskRows mask() { return mask; }
    /** The soft-cap; 0 when off. */
    public float softcap() { return softcap; }
    /** Valid key count of batch {@code b} (kvSeq where not limited). */
    public int kvLength(int b) { return kvLengths[b]; }
    /** A copy of the valid key count per batch. */
    public int[] kvLengths() { return kvLengths.clone(); }
    public AttentionKernel kernel() { return kernel; }
    public boolean returnEnergy() { return returnEnergy; }
    /** The stage of the scores output asked for, or null for none; only with the standard kernel. */
    public ScoreStage scoresOutput() { return scoresOutput; }
    /** The dtype of the output Y: the option's, else Q's. */
    public DType outputDType() { return outputDType; }

    /** The keys each query may see, or null for all (checked against the shapes). */
    public dev.ika4j.api.Neighbourhood neighbourhood() { return neighbourhood; }

    /**
     * Whether key j is visible to query i of batch b by causal, valid lengths and the
     * neighbourhood (the mask apart): what every backend must honour.
     */
    public boolean visible(int b, int i, int j) {
        return j < keyLimit(b, i) && (neighbourhood == null || neighbourhood.contains(b, i, j, pastSeq));
    }

    /** The KV head that query head {@code h} reads. */
    public int kvHead(int h) { return h / group; }

    /**
     * Number of leading keys query i of batch b may see before the mask is applied: causal and
     * per-batch valid lengths combined. Keys at or beyond it are excluded.
     */
    public int keyLimit(int b, int i) {
        int lim = kvLengths[b];
        if (causal) lim = Math.min(lim, pastSeq + i + 1);
        return lim;
    }

    /**
     * The one column of the scores output of a call with no key at all (kv_seq 0; a tensor needs
     * a column): masked, so -inf at AFTER_MASK and 0 at every other stage.
     */
    public float noKeyScore() {
        return scoresOutput == ScoreStage.AFTER_MASK ? Float.NEGATIVE_INFINITY : 0f;
    }

    /** Multiply-adds of Q.K^T and P.V, times two: the FLOP count that benchmarks report. */
    public double flops() {
        return 2.0 * batch * qHeads * qSeq * (double) kvSeq * (dim + vDim);
    }

    /** Shape of the output: [batch, q_heads, q_seq, v_dim]. */
    public String outputShape() {
        return "[" + batch + ", " + qHeads + ", " + qSeq + ", " + vDim + "]";
    }

    /** Just the four dims of something shaped, for checks shared by tensors and resident tensors. */
    public interface ShapeLike {
        int batch();
        int heads();
        int seq();
        int dim();
        String shapeString();

        static ShapeLike of(Tensor t) {
            return new ShapeLike() {
                public int batch() { return t.batch(); }
                public int heads() { return t.heads(); }
                public int seq() { return t.seq(); }
                public int dim() { return t.dim(); }
                public String shapeString() { return t.shapeString(); }
            };
        }

        static ShapeLike of(dev.ika4j.api.ResidentTensor t) {
            return new ShapeLike() {
                public int batch() { return t.batch(); }
                public int heads() { return t.heads(); }
                public int seq() { return t.seq(); }
                public int dim() { return t.dim(); }
                public String shapeString() { return t.shapeString(); }
            };
        }
    }
}
