package dev.ika4j.simd;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import dev.ika4j.testkit.ScoresContractTest;

/** The simd backend's scores pass against the operator's definition (see {@link ScoresContractTest}). */
class SimdScoresTest extends ScoresContractTest {
    @Override
    protected AttentionBackend backend() {
        return Backends.open(SimdBackend.NAME);
    }
}
