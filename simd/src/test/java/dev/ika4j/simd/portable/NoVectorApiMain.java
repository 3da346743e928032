/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Backends;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import java.util.SplittableRandom;

/**
 * Run by {@link NoVectorApiTest} in a JVM started without {@code --add-modules
 * jdk.incubator.vector}: opens {@code auto} as a user would and compares one causal GQA call with
 * the reference. Prints {@code auto=NAME}, {@code fused=B} (whether the portable kernels use Math.fma) and
 * {@code maxerr=X}.
 */
public final class NoVectorApiMain {
    private NoVectorApiMain() {}

    public static void main(String[] args) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            System.out.println("the Vector API module is present; this check needs a JVM without it");
            System.exit(3);
        }
        SplittableRandom rnd = new SplittableRandom(42);
        Tensor q = random(rnd, 2, 4, 67, 24), k = random(rnd, 2, 2, 131, 24), v = random(rnd, 2, 2, 131, 19);
        AttentionOptions o = AttentionOptions.builder().causal(true).build();
        try (AttentionBackend auto = Backends.open("auto"); ReferenceBackend ref = new ReferenceBackend()) {
            System.out.println("auto=" + auto.name());
            System.out.println("fused=" + RowOps.FUSED);
            Tensor got = auto.attention(q, k, v, o).output(), want = ref.attention(q, k, v, o).output();
            double err = 0;
            float[] a = got.toArray(), b = want.toArray();
            for (int i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
            System.out.println("maxerr=" + err);
        }
    }

    private static Tensor random(SplittableRandom rnd, int b, int h, int s, int d) {
        float[] x = new float[b * h * s * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return Tensor.bhsd(x, b, h, s, d);
    }
}
