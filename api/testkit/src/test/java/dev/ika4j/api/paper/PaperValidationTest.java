/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.paper;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.RandomInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad hyper-parameters and shapes are IllegalArgumentExceptions that name what is wrong; big norms stay finite. */
class PaperValidationTest {

    private static void rejects(String mustMention, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(mustMention), "message '" + x.getMessage() + "' should mention '" + mustMention + "'");
    }

    @Test
    void badHyperParameters() {
        rejects("p", () -> new RbfImportanceKernel(0, null));
        rejects("p", () -> new RbfImportanceKernel(-1, null));
        rejects("p", () -> new RbfImportanceKernel(Double.NaN, null));
        rejects("tau", () -> new RbfImportanceKernel(2, Double.NaN));
        rejects("tau", () -> new RbfImportanceKernel(2, 0.0));
        rejects("p", () -> IkaOptions.builder().p(Double.NaN).build());
        rejects("eps", () -> IkaOptions.builder().eps(-1e-5).build());
        rejects("eps", () -> IkaOptions.builder().eps(Double.NaN).build());
        rejects("tau", () -> IkaOptions.builder().tau(Double.POSITIVE_INFINITY).build());
        rejects("frequencyScale", () -> IkaOptions.builder().frequencyScale(Double.NaN).build());
        rejects("preset", () -> Preset.parse("mine"));
    }

    @Test
    void badShapes() {
        PaperKernels pk = new PaperKernels(1);
        rejects("[4, 2, 3]", () -> new IkaDirectKernel(ParamTensor.zeros(4, 2, 3), ParamTensor.zeros(4, 2, 5)));
        rejects("rank 3", () -> new IkaDirectKernel(ParamTensor.zeros(4, 6), ParamTensor.zeros(4, 6)));
        rejects(">= 1", () -> ParamTensor.zeros(4, 0, 3));
        SpectralGenerator g = pk.generator(4, 5, 5, 1);
        rejects("samples (M)", () -> new IkaGeneratorKernel(g, g, 0, NoiseSource.seeded(1, NoiseSource.Mode.INFERENCE), IkaOptions.DEFAULT));
        rejects("[d, heads, M]", () -> new IkaGeneratorKernel(g, g, 3, NoiseSource.fixed(ParamTensor.zeros(4, 2, 4)), IkaOptions.DEFAULT));
        rejects("even", () -> pk.copulaKernel(4, 3, NoiseSource.seeded(1, NoiseSource.Mode.INFERENCE), IkaOptions.DEFAULT));
        rejects("generator shapes", () -> new SpectralGenerator(ParamTensor.zeros(4, 5), ParamTensor.zeros(5), ParamTensor.zeros(6, 5),
                ParamTensor.zeros(5), ParamTensor.zeros(5, 4), ParamTensor.zeros(4)));
        rejects("priorVar", () -> new CopulaKernel(pk.copulaNet(4, 4), g, g, 4, NoiseSource.seeded(1, NoiseSource.Mode.INFERENCE), 0, 0.1, 1,
                IkaOptions.DEFAULT));
    }

    /** Shapes that only a call can check: W against head_dim and q_heads, generators against head_dim. */
    @Test
    void callTimeShapeChecks() {
        PaperKernels pk = new PaperKernels(2);
        RandomInputs r = pk.random();
        Tensor q = r.tensor(1, 2, 3, 4), k = r.tensor(1, 2, 3, 4), v = r.tensor(1, 2, 3, 4);
        ReferenceBackend ref = new ReferenceBackend();
        AttentionKernel wrongD = pk.direct(5, 2, 3, 1, IkaOptions.DEFAULT);
        rejects("w1/w2 [5, 2, 3] must be [d, q_heads, M] = [4, 2, M]", () -> ref.attention(q, k, v, opts(wrongD)));
        AttentionKernel wrongH = pk.direct(4, 3, 3, 1, IkaOptions.DEFAULT);
        rejects("[4, 2, M]", () -> ref.attention(q, k, v, opts(wrongH)));
        AttentionKernel gen = pk.generatorKernel(6, 2, 3, NoiseSource.seeded(1, NoiseSource.Mode.INFERENCE), IkaOptions.DEFAULT);
        rejects("head_dim 4", () -> ref.attention(q, k, v, opts(gen)));
        AttentionKernel genNoise = pk.generatorKernel(4, 3, 3, pk.generatorNoise(4, 3, 3), IkaOptions.DEFAULT);
        rejects("noise has shape [4, 3, 3]", () -> ref.attention(q, k, v, opts(genNoise)));
        AttentionKernel cop = pk.copulaKernel(4, 4, pk.copulaNoise(2, 4, 2, 4), IkaOptions.DEFAULT);
        rejects("noise has shape [2, 4, 2, 4]", () -> ref.attention(q, k, v, opts(cop)));
        AttentionKernel ok = pk.direct(4, 2, 3, 1, IkaOptions.DEFAULT);
        rejects("softcap", () -> ref.attention(q, k, v, opts(ok).toBuilder().softcap(5).build()));
        AttentionKernel linear = pk.direct(4, 2, 3, 1, IkaOptions.builder().linear(true).build());
        AttentionMask mask = AttentionMask.bool(new boolean[] {true, false, true}, 3);
        rejects("mask", () -> ref.attention(q, k, v, opts(linear).toBuilder().mask(mask).build()));
        rejects("energy", () -> ref.attention(q, k, v, opts(linear).toBuilder().returnEnergy(true).build()));
    }

    private static AttentionOptions opts(AttentionKernel k) {
        return AttentionOptions.builder().kernel(k).build();
    }

    /**
     * Norms so large that e^{I(k)} overflows float64 many times over: the exact result is finite (the
     * softmax is dominated by the largest-importance keys) and so must ours be.
     */
    @Test
    void largeNormsStayFinite() {
        PaperKernels pk = new PaperKernels(3);
        RandomInputs r = pk.random();
        int d = 16;
        float[] big = r.gaussians(2 * 9 * d);
        for (int i = 0; i < big.length; i++) big[i] *= 500f;
        Tensor q = Tensor.bhsd(big.clone(), 1, 2, 9, d), k = Tensor.bhsd(big, 1, 2, 9, d), v = r.tensor(1, 2, 9, 3);
        ReferenceBackend ref = new ReferenceBackend();
        for (AttentionKernel kernel : new AttentionKernel[] {RbfImportanceKernel.standardForm(), RbfImportanceKernel.lp(3),
                pk.direct(d, 2, 8, 0.01, IkaOptions.DEFAULT), pk.direct(d, 2, 8, 0.01, IkaOptions.builder().preset(Preset.AUTHORS).p(1.8).build())}) {
            for (boolean causal : new boolean[] {false, true}) {
                AttentionResult res = ref.attention(q, k, v, AttentionOptions.builder().kernel(kernel).causal(causal).build());
                for (float x : res.output().toArray()) assertTrue(Float.isFinite(x), kernel.name() + " causal=" + causal + " gave " + x);
            }
        }
    }
}
