/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.Backends;
import dev.ika4j.api.ScoreStage;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.Scenario;
import dev.ika4j.testkit.ScoresContractTest;
import org.junit.jupiter.api.Test;

/** The simd backend's scores pass against the operator's definition (see {@link ScoresContractTest}). */
class SimdScoresTest extends ScoresContractTest {
    @Override
    protected AttentionBackend backend() {
        return Backends.open(SimdBackend.NAME);
    }

    /** The pass splits work by (batch, head) over the pool: 1, 2 and 5 threads give the same bits. */
    @Test
    void scoresDoNotDependOnTheThreadCount() {
        try (SimdBackend one = new SimdBackend(BackendConfig.defaults().withThreads(1));
             SimdBackend two = new SimdBackend(BackendConfig.defaults().withThreads(2));
             SimdBackend five = new SimdBackend(BackendConfig.defaults().withThreads(5))) {
            for (Scenario sc : Scenario.standardSet().subList(0, 30)) {
                Scenario.Inputs in = sc.inputs();
                for (ScoreStage st : ScoreStage.values()) {
                    AttentionOptions o = in.options().toBuilder().scoresOutput(st).build();
                    var ref = one.attention(in.q(), in.k(), in.v(), o).scores();
                    Compare.assertIdentical(sc + " " + st + " 2 threads", ref, two.attention(in.q(), in.k(), in.v(), o).scores());
                    Compare.assertIdentical(sc + " " + st + " 5 threads", ref, five.attention(in.q(), in.k(), in.v(), o).scores());
                }
            }
        }
    }
}
