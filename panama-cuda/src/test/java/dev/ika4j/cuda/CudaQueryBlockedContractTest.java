package dev.ika4j.cuda;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.spi.BackendConfig;
import dev.ika4j.testkit.BackendContractTest;

/**
 * The contract again with a score budget of 8 KiB, so nearly every call runs in many query
 * blocks: the block offsets of Q, S, the output and the energy meet every option.
 */
class CudaQueryBlockedContractTest extends BackendContractTest {

    @Override
    protected String unavailableReason() {
        return CudaBackendContractTest.reasonUnavailable();
    }

    @Override
    protected AttentionBackend backend() {
        return new CudaBackend(BackendConfig.defaults().with("scoreBudgetBytes", "8192"));
    }
}
