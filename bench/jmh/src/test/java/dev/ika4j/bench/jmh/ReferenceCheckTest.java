/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.reference.ReferenceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The setup gate: right outputs pass, wrong ones are refused with where they are wrong. */
class ReferenceCheckTest {
    private static float[] reference(Problem p) {
        AttentionOptions o = AttentionOptions.builder().causal(p.causal).build();
        return new ReferenceBackend().attention(p.qTensor(), p.kTensor(), p.vTensor(), o).output().toArray();
    }

    @ParameterizedTest
    @CsvSource({"1x1x1x8,false", "1x2x17x8,true", "2x3x31x5,false", "1x1x64x64,true"})
    void theReferenceItselfPasses(String shape, boolean causal) {
        Problem p = Problem.create(shape, causal);
        assertDoesNotThrow(() -> ReferenceCheck.verifyStandard("reference", p, reference(p)));
    }

    @ParameterizedTest
    @CsvSource({"1x2x17x8,false", "2x3x31x5,true"})
    void oneWrongValueIsRefusedNamingItsRow(String shape, boolean causal) {
        Problem p = Problem.create(shape, causal);
        float[] out = reference(p);
        int at = p.offset(p.shape.batch() - 1, 1, 7) + 2;
        out[at] += 10 * (float) ReferenceCheck.tolerance(p.shape, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReferenceCheck.verifyStandard("fake", p, out));
        assertTrue(e.getMessage().contains("fake") && e.getMessage().contains("query 7") && e.getMessage().contains(shape),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1x2x17x8,false", "1x2x17x8,true"})
    void nanIsNeverAPass(String shape, boolean causal) {
        Problem p = Problem.create(shape, causal);
        float[] out = reference(p);
        out[p.offset(0, 0, 3)] = Float.NaN;
        assertThrows(IllegalStateException.class, () -> ReferenceCheck.verifyStandard("nan", p, out));
    }

    @ParameterizedTest
    @CsvSource({"1x2x17x8", "1x3x40x16"})
    void causalOutputFailsTheNonCausalCheckAndBack(String shape) {
        Problem causal = Problem.create(shape, true), full = Problem.create(shape, false);
        assertThrows(IllegalStateException.class, () -> ReferenceCheck.verifyStandard("mixed", full, reference(causal)));
        assertThrows(IllegalStateException.class, () -> ReferenceCheck.verifyStandard("mixed", causal, reference(full)));
    }

    @ParameterizedTest
    @CsvSource({"1x1x1x8", "1x8x1024x64", "1x8x4096x128"})
    void toleranceIsSmallAgainstOutputsOfOrderOne(String shape) {
        double tol = ReferenceCheck.tolerance(Shape.parse(shape), 1);
        assertTrue(tol > 1e-5 && tol < 3e-3, "tolerance " + tol);
    }
}
