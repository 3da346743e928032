/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.internal.plan.PaperMath;
import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.Scenario;
import dev.ika4j.testkit.PaperCases;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cuda backend's way into the shared plan ({@link CudaPaperKernels#call} from its
 * {@link DeviceProblem}, its own noise draw and pooling supplier) against {@link PaperPlan#of} on
 * the host problem: the same tau, the same W1, W2 bit for bit, the same regulariser, and the same
 * exceptions for bad calls. Needs no GPU, so it runs everywhere.
 */
class CudaPaperPlanTest {

    private static PaperPlan resolve(AttentionProblem p) {
        return PaperPlan.resolve(p.kernel(), CudaPaperKernels.call(DeviceProblem.of(p), p.q().shapeString(), p.returnEnergy()),
                (src, shape) -> src.next(shape),
                () -> PaperMath.pool(PaperPlan.flat(p.q()), PaperPlan.flat(p.presentKey()), p.batch(), p.qHeads(), p.kvHeads(), p.qSeq(),
                        p.kvSeq(), p.dim(), p.kvLengths()));
    }

    @Test
    void resolvesEveryKernelLikeTheReference() {
        int checked = 0;
        for (boolean linear : new boolean[] {false, true}) {
            for (Scenario s : PaperCases.scenarios(30, linear)) {
                for (AttentionKernel k : PaperCases.kernels(s, linear)) {
                    Scenario.Inputs in = s.inputs();
                    AttentionProblem p = AttentionProblem.of(in.q(), in.k(), in.v(), in.options().toBuilder().kernel(k).build());
                    PaperPlan want = PaperPlan.of(p);
                    PaperPlan got = resolve(p);
                    String what = s + " " + k.name();
                    assertEquals(want.form, got.form, what + ": form");
                    assertEquals(want.p, got.p, 0.0, what + ": p");
                    assertEquals(want.tau, got.tau, 0.0, what + ": tau");
                    assertEquals(want.regularizer, got.regularizer, 0.0, what + ": regularizer");
                    if (got.form == PaperPlan.Form.SPECTRAL) {
                        assertEquals(want.samples, got.samples, what + ": M");
                        assertEquals(want.eps, got.eps, 0.0, what + ": eps");
                        assertEquals(want.frequencyScale, got.frequencyScale, 0.0, what + ": c");
                        assertEquals(want.linear, got.linear, what + ": linear");
                        assertEquals(want.perBatch, got.perBatch, what + ": per batch");
                        assertArrayEquals(want.w1, got.w1, what + ": W1");
                        assertArrayEquals(want.w2, got.w2, what + ": W2");
                    }
                    checked++;
                }
            }
        }
        // every kernel of every scenario, except the copula in causal ones (it refuses causal)
        long causal = PaperCases.scenarios(30, false).stream().filter(Scenario::causal).count()
                + PaperCases.scenarios(30, true).stream().filter(Scenario::causal).count();
        assertEquals(2 * 30 * 3 + 30 * 2 - causal, checked);
    }

    /** Bad calls fail with the reference's exception and message. */
    @Test
    void rejectsWhatTheReferenceRejects() {
        Scenario s = PaperCases.scenarios(5, false).get(4);   // packed GQA, additive mask, energy
        Scenario.Inputs in = s.inputs();
        PaperKernels pk = new PaperKernels(3);
        List<AttentionOptions> bad = List.of(
                in.options().toBuilder().kernel(RbfImportanceKernel.lp(3)).softcap(5f).build(),
                in.options().toBuilder().kernel(pk.direct(s.dim(), s.qHeads(), 4, 1, IkaOptions.builder().linear(true).build())).build(),
                in.options().toBuilder().mask(null).kernel(pk.direct(s.dim(), s.qHeads(), 4, 1, IkaOptions.builder().linear(true).build()))
                        .build(),
                in.options().toBuilder().kernel(pk.direct(s.dim() + 1, s.qHeads(), 4, 1, IkaOptions.DEFAULT)).build(),
                in.options().toBuilder().kernel(new IkaDirectKernel(ParamTensor.zeros(s.dim(), s.qHeads() + 1, 2),
                        ParamTensor.zeros(s.dim(), s.qHeads() + 1, 2))).build(),
                in.options().toBuilder().kernel(pk.generatorKernel(s.dim() + 2, s.qHeads(), 3,
                        pk.generatorNoise(s.dim() + 2, s.qHeads(), 3), IkaOptions.DEFAULT)).build(),
                in.options().toBuilder().kernel(pk.generatorKernel(s.dim(), s.qHeads(), 3,
                        pk.generatorNoise(s.dim(), s.qHeads() + 1, 3), IkaOptions.DEFAULT)).build(),
                in.options().toBuilder().kernel(pk.copulaKernel(s.dim(), 4, pk.copulaNoise(s.batch() + 1, s.dim(), s.qHeads(), 4),
                        IkaOptions.DEFAULT)).build());
        for (AttentionOptions o : bad) {
            AttentionProblem p = AttentionProblem.of(in.q(), in.k(), in.v(), o);
            IllegalArgumentException want = assertThrows(IllegalArgumentException.class, () -> PaperPlan.of(p), o.toString());
            IllegalArgumentException got = assertThrows(IllegalArgumentException.class, () -> resolve(p), o.toString());
            assertEquals(want.getMessage(), got.getMessage());
        }
    }
}
