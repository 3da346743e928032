/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.KernelGradient;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.Train;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stationary IKA (W2 tied to W1, directly or through one generator): the tied parameter's gradient
 * (the sum of the two) against central finite differences that move both copies at once, and the
 * kernel's dependence on q - k alone.
 */
class StationaryIkaTest {
    static final double H = 1e-5;

    static AttentionKernel kernel(boolean generator, AttentionProblem shape, SplittableRandom r) {
        int d = shape.dim(), h = shape.qHeads(), m = 2 + 2 * r.nextInt(2);
        IkaOptions o = IkaOptions.builder().preset(Preset.AUTHORS).p(1.5 + r.nextDouble() * 1.5).eps(0.05).build();
        if (!generator) return IkaDirectKernel.stationary(PaperKernels.direct(r, d, h, m, o).w1(), o);
        IkaGeneratorKernel g = PaperKernels.generatorKernel(r, d, h, m, o);
        return IkaGeneratorKernel.stationary(g.g1(), m, g.noise(), o);
    }

    /** The names of the W1-side parameters and their W2-side twins. */
    static List<String[]> twins(Map<String, double[]> params) {
        List<String[]> out = new ArrayList<>();
        for (String n : params.keySet()) {
            if (n.equals("w1")) out.add(new String[] {"w1", "w2"});
            else if (n.startsWith("g1.")) out.add(new String[] {n, "g2." + n.substring(3)});
        }
        return out;
    }

    static double objective(AttentionProblem p, ReferenceBackward.Values x, double[] dOut) {
        double[] y = ReferenceBackward.forward(p, x).output();
        double s = 0;
        for (int i = 0; i < y.length; i++) s += dOut[i] * y[i];
        return s;
    }

    @ParameterizedTest(name = "generator {0}")
    @ValueSource(booleans = {false, true})
    void tiedGradientMatchesFiniteDifferences(boolean generator) {
        double worst = 0, largest = 0;
        for (long seed = 1; seed <= 6; seed++) {
            AttentionProblem shape = RandomProblems.randomProblem(seed, AttentionOptions.builder(), 4, 4);
            AttentionKernel k = kernel(generator, shape, new SplittableRandom(seed * 17));
            AttentionProblem p = RandomProblems.randomProblem(seed, AttentionOptions.builder().kernel(k), 4, 4);
            SplittableRandom r = new SplittableRandom(seed * 101);
            ReferenceBackward.Values x = RandomProblems.randomValues(r, p);
            double[] dOut = RandomProblems.randomDoubles(r, p.batch() * p.qHeads() * p.qSeq() * p.vDim());
            ReferenceBackward.Gradients g = ReferenceBackward.backward(p, x, dOut, 0);
            List<String[]> twins = twins(x.parameters());
            assertFalse(twins.isEmpty());
            for (String[] t : twins) {
                double[] a = x.parameters().get(t[0]), b = x.parameters().get(t[1]);
                for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0.0, "tied parameters " + t[0] + ", " + t[1]);
                double[] ga = g.parameters().get(t[0]), gb = g.parameters().get(t[1]);
                double maxErr = 0, maxG = 0;
                for (int i = 0; i < a.length; i++) {
                    double tied = ga[i] + gb[i];
                    double fd = (objective(p, shifted(x, t, i, H), dOut) - objective(p, shifted(x, t, i, -H), dOut)) / (2 * H);
                    maxErr = Math.max(maxErr, Math.abs(fd - tied));
                    maxG = Math.max(maxG, Math.abs(tied));
                }
                largest = Math.max(largest, maxG);
                if (maxG > 0) worst = Math.max(worst, maxErr / maxG);
                assertTrue(maxErr <= 1e-5 * maxG + 1e-8, t[0] + " seed " + seed + ": max error " + maxErr + ", max |g| " + maxG);
            }
        }
        assertTrue(largest > 1e-4, "the tied gradients are all (near) zero: the check proves nothing");
        assertTrue(worst < 1e-5, "worst relative error " + worst);
    }

    /** x with entry i of both tied copies moved by h. */
    private static ReferenceBackward.Values shifted(ReferenceBackward.Values x, String[] t, int i, double h) {
        ReferenceBackward.Values y = x.copy();
        y.parameters().get(t[0])[i] += h;
        y.parameters().get(t[1])[i] += h;
        return y;
    }

    /**
     * Moving every query and key by the same vector leaves the stationary kernel, hence the output
     * with the importance terms switched off (tau huge), unchanged; the non-stationary kernel with
     * the same W1 changes.
     */
    @ParameterizedTest(name = "generator {0}")
    @ValueSource(booleans = {false, true})
    void dependsOnTheDifferenceOnly(boolean generator) {
        SplittableRandom r = new SplittableRandom(5);
        int b = 1, h = 2, n = 7, d = 5, m = 6;
        IkaOptions o = IkaOptions.builder().tau(1e30).eps(1e-3).build();
        AttentionKernel stationary, other;
        if (generator) {
            IkaGeneratorKernel g = PaperKernels.generatorKernel(r, d, h, m, o);
            stationary = IkaGeneratorKernel.stationary(g.g1(), m, g.noise(), o);
            other = g;
            assertTrue(((IkaGeneratorKernel) stationary).isStationary());
            assertFalse(g.isStationary());
        } else {
            IkaDirectKernel k = PaperKernels.direct(r, d, h, m, o);
            stationary = IkaDirectKernel.stationary(k.w1(), o);
            other = k;
            assertTrue(((IkaDirectKernel) stationary).isStationary());
            assertFalse(k.isStationary());
        }
        Tensor q = RandomProblems.random(r, b, h, n, d), k = RandomProblems.random(r, b, h, n, d), v = RandomProblems.random(r, b, h, n, d);
        float[] shift = new float[d];
        for (int c = 0; c < d; c++) shift[c] = (float) (r.nextDouble() * 2 - 1);
        Tensor qs = plus(q, shift), ks = plus(k, shift);
        ReferenceBackend ref = new ReferenceBackend();
        double moved = 0, movedOther = 0;
        for (AttentionKernel kern : new AttentionKernel[] {stationary, other}) {
            AttentionOptions opts = AttentionOptions.builder().kernel(kern).build();
            float[] y0 = ref.attention(q, k, v, opts).output().toArray(), y1 = ref.attention(qs, ks, v, opts).output().toArray();
            double diff = 0;
            for (int i = 0; i < y0.length; i++) diff = Math.max(diff, Math.abs(y0[i] - y1[i]));
            if (kern == stationary) moved = diff;
            else movedOther = diff;
        }
        assertTrue(moved < 1e-5, "stationary kernel moved by " + moved);
        assertTrue(movedOther > 1e-3, "the non-stationary control moved by only " + movedOther + ": the test cannot fail");
    }

    private static Tensor plus(Tensor t, float[] shift) {
        float[] a = t.toArray();
        for (int i = 0; i < a.length; i++) a[i] += shift[i % shift.length];
        return Tensor.bhsd(a, t.batch(), t.heads(), t.seq(), t.dim());
    }

    /** KernelGradient's tied() is the sum of the two, in the kernel's shapes. */
    @ParameterizedTest(name = "generator {0}")
    @ValueSource(booleans = {false, true})
    void tiedIsTheSumOfBothGradients(boolean generator) {
        SplittableRandom r = new SplittableRandom(9);
        AttentionProblem shape = RandomProblems.randomProblem(3, AttentionOptions.builder(), 6, 6);
        AttentionKernel kern = kernel(generator, shape, r);
        AttentionOptions o = AttentionOptions.builder().kernel(kern).build();
        Tensor q = RandomProblems.random(r, 1, shape.qHeads(), 5, shape.dim()), k = RandomProblems.random(r, 1, shape.qHeads(), 6, shape.dim());
        Tensor v = RandomProblems.random(r, 1, shape.qHeads(), 6, 3), dOut = RandomProblems.random(r, 1, shape.qHeads(), 5, 3);
        AttentionGradients g = Train.gradients(new ReferenceBackend(), q, k, v, o, dOut);
        List<ParamTensor[]> pairs = new ArrayList<>();
        switch (g.dKernel()) {
            case KernelGradient.Direct dd -> pairs.add(new ParamTensor[] {dd.w1(), dd.w2(), dd.tied()});
            case KernelGradient.Generator gg -> {
                List<ParamTensor> a = KernelGradient.Generator.class.cast(gg).tensors();
                List<ParamTensor> t = new KernelGradient.Generator(gg.tied(), gg.tied()).tensors();
                for (int i = 0; i < 6; i++) pairs.add(new ParamTensor[] {a.get(i), a.get(i + 6), t.get(i)});
            }
            default -> throw new AssertionError(g.dKernel());
        }
        for (ParamTensor[] t : pairs) {
            assertTrue(t[2].hasShape(t[0].shape()));
            for (int i = 0; i < t[0].size(); i++) assertEquals(t[0].at(i) + t[1].at(i), t[2].at(i), 1e-12);
        }
    }
}
