/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import java.util.ArrayList;
import java.util.List;

/** The scenarios and kernels every backend's paper-kernel tests draw, so all backends face the same cases. */
public final class PaperCases {
    private PaperCases() {}

    /** The standard scenarios without softcap (which the paper's kernels reject); linear mode also drops masks and energy. */
    public static List<Scenario> scenarios(int limit, boolean linear) {
        List<Scenario> out = new ArrayList<>();
        for (Scenario s : Scenario.standardSet()) {
            if (out.size() == limit) break;
            out.add(new Scenario(s.label(), s.seed(), s.batch(), s.qHeads(), s.kvHeads(), s.qSeq(), s.kvSeq(), s.pastSeq(), s.dim(),
                    s.vDim(), s.storage(), s.scale(), s.causal(), linear ? Scenario.MaskKind.NONE : s.mask(), s.maskRank(),
                    s.maskLast(), 0.0, s.lengths(), !linear && s.energy()));
        }
        return out;
    }

    /** One kernel of each kind for the scenario's shapes, hyper-parameters drawn from its seed (fixed noise). */
    public static List<AttentionKernel> kernels(Scenario s, boolean linear) {
        PaperKernels pk = new PaperKernels(s.seed() * 31 + 7);
        RandomInputs r = pk.random();
        List<AttentionKernel> out = new ArrayList<>();
        if (!linear) {
            out.add(RbfImportanceKernel.standardForm());
            out.add(new RbfImportanceKernel(r.pick(1.8, 2.5, 3.0), r.chance(0.5) ? null : 1.7));
        }
        IkaOptions.Builder o = IkaOptions.builder().preset(r.pick(Preset.PAPER, Preset.AUTHORS)).p(r.pick(1.8, 2.0, 2.5, 3.0))
                .eps(r.pick(1e-5, 1e-5, 0.0, 0.3)).linear(linear);
        if (r.chance(0.2)) o.tau(2.3);
        int m = linear ? r.pick(1, 2, 5, 8) : r.pick(1, 3, 8, 16, 33);
        out.add(pk.direct(s.dim(), s.qHeads(), m, r.pick(0.2, 1.0, 2.0), o.build()));
        out.add(pk.generatorKernel(s.dim(), s.qHeads(), m, pk.generatorNoise(s.dim(), s.qHeads(), m), o.build()));
        int mc = 2 * Math.max(1, m / 2);
        // the copula kernel refuses causal attention (its encoder pools the whole sequence)
        if (!s.causal()) out.add(pk.copulaKernel(s.dim(), mc, pk.copulaNoise(s.batch(), s.dim(), s.qHeads(), mc), o.build()));
        return out;
    }
}
