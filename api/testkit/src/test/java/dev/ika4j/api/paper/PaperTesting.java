/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.paper;

import dev.ika4j.api.Tensor;
import dev.ika4j.testkit.Scenario;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers of the paper-kernel tests. */
final class PaperTesting {
    private PaperTesting() {}

    /** The standard scenarios without softcap, which the paper's kernels reject. */
    static List<Scenario> scenarios(int limit) {
        List<Scenario> out = new ArrayList<>();
        for (Scenario s : Scenario.standardSet()) {
            if (out.size() == limit) break;
            out.add(new Scenario(s.label(), s.seed(), s.batch(), s.qHeads(), s.kvHeads(), s.qSeq(), s.kvSeq(), s.pastSeq(), s.dim(),
                    s.vDim(), s.storage(), s.scale(), s.causal(), s.mask(), s.maskRank(), s.maskLast(), 0.0, s.lengths(), s.energy()));
        }
        return out;
    }

    /** Values of a tensor as float64 in BHSD order. */
    static double[] values(Tensor t) {
        float[] a = t.toArray();
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
