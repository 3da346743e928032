package dev.ika4j.bench.train;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.grad.AttentionGradients;
import dev.ika4j.api.grad.AttentionTraining;
import dev.ika4j.api.grad.RecordingTraining;
import java.util.SplittableRandom;

/**
 * Attention through an ika4j backend: its forward, and the backward pass that belongs to it
 * ({@link AttentionTraining#of}), in float32 as the backends compute. When the backward pass is the
 * backend's own and can record the forward of a kernel ({@link RecordingTraining}), its recorded
 * forward replaces the backend's call, so the L x L work is done once per step.
 */
public final class BackendAttentionOp implements AttentionOp {
    private final AttentionBackend backend;
    private final AttentionTraining training;
    private final KernelSpec spec;
    private final SplittableRandom rng;
    private Tensor q, k, v;
    private AttentionOptions options;
    private RecordingTraining.Recording recording;
    private double regularizer;

    /** Backward from {@code training}, which must match the backend's forward semantics. */
    public BackendAttentionOp(AttentionBackend backend, AttentionTraining training, KernelSpec spec, SplittableRandom rng) {
        this.backend = backend;
        this.training = training;
        this.spec = spec;
        this.rng = rng;
    }

    public BackendAttentionOp(AttentionBackend backend, KernelSpec spec, SplittableRandom rng) {
        this(backend, AttentionTraining.of(backend), spec, rng);
    }

    @Override
    public double[] forward(double[] q, double[] k, double[] v, int seq, int heads, int dim, boolean training) {
        this.q = packed(q, seq, heads, dim);
        this.k = packed(k, seq, heads, dim);
        this.v = packed(v, seq, heads, dim);
        options = AttentionOptions.builder().kernel(spec.build(training, rng)).build();
        recording = this.training instanceof RecordingTraining rt && rt.name().equals(backend.name()) && rt.records(options.kernel())
                ? rt.record(this.q, this.k, this.v, options) : null;
        AttentionResult r = recording != null ? recording.result() : backend.attention(this.q, this.k, this.v, options);
        regularizer = r.regularizer();
        return widenPacked(r.output());
    }

    @Override
    public double regularizer() {
        return regularizer;
    }

    @Override
    public double[][] backward(double[] dOut, double dRegularizer) {
        Tensor d = packed(dOut, q.seq(), q.heads(), q.dim());
        AttentionGradients g = recording != null ? ((RecordingTraining) training).backward(recording, d, dRegularizer)
                : training.backward(q, k, v, options, d, dRegularizer);
        spec.accumulate(g.parameters());
        return new double[][] {widenPacked(g.dQ()), widenPacked(g.dK()), widenPacked(g.dV())};
    }

    static Tensor packed(double[] a, int seq, int heads, int dim) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return Tensor.bshd(f, 1, seq, heads, dim);
    }

    /** A [1, heads, seq, dim] tensor's values in packed [seq][heads][dim] order. */
    static double[] widenPacked(Tensor t) {
        double[] out = new double[(int) t.size()];
        float[] row = new float[t.dim()];
        for (int s = 0; s < t.seq(); s++)
            for (int h = 0; h < t.heads(); h++) {
                t.readRow(0, h, s, row, 0);
                for (int c = 0; c < t.dim(); c++) out[(s * t.heads() + h) * t.dim() + c] = row[c];
            }
        return out;
    }
}
