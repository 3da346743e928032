package dev.ika4j.bench.jmh;

import java.util.Locale;

/**
 * A benchmark problem's shape, written "BATCHxHEADSxSEQxDIM" in JMH parameters (one string, so a
 * profile lists exactly the shapes it wants rather than a cartesian product of four axes).
 * Self-attention: keys and values have the queries' length and head count; V has head dim DIM.
 */
public record Shape(int batch, int heads, int seq, int dim) {
    public Shape {
        if (batch < 1 || heads < 1 || seq < 1 || dim < 1) {
            throw new IllegalArgumentException("shape dims must be >= 1, got " + batch + "x" + heads + "x" + seq + "x" + dim);
        }
    }

    /** Parses "1x8x1024x64" (batch x heads x seq x head dim). */
    public static Shape parse(String s) {
        String[] p = s.trim().toLowerCase(Locale.ROOT).split("x");
        if (p.length != 4) {
            throw new IllegalArgumentException("shape must be BATCHxHEADSxSEQxDIM, e.g. 1x8x1024x64; got '" + s + "'");
        }
        try {
            return new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape must be BATCHxHEADSxSEQxDIM with integer dims; got '" + s + "'", e);
        }
    }

    /** Elements of one of Q, K, V or the output. */
    public int elements() {
        return Math.multiplyExact(Math.multiplyExact(batch, heads), Math.multiplyExact(seq, dim));
    }

    /** (query, key) pairs per head that attention actually evaluates: all, or the lower triangle. */
    public double pairsPerHead(boolean causal) {
        return causal ? seq * (seq + 1.0) / 2.0 : (double) seq * seq;
    }

    /**
     * The FLOPs every implementation is credited with: 2 per multiply-add of Q.K^T and of P.V over
     * the pairs evaluated. Causal counts only the unmasked pairs, so a kernel that computes the
     * masked half for nothing shows up as a lower GFLOP/s instead of hiding behind it.
     */
    public double flops(boolean causal) {
        return 2.0 * batch * heads * pairsPerHead(causal) * (dim + dim);
    }

    @Override
    public String toString() {
        return batch + "x" + heads + "x" + seq + "x" + dim;
    }
}
