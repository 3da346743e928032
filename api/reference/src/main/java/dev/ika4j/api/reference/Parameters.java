/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kernel's learned parameters by name, each flat in its own C-order layout, in the order in
 * which the gradients are reported: ika-direct "w1", "w2"; ika-generator "g1.w1" ... "g1.b3",
 * "g2.*"; copula "net.w1", "net.b1", "net.w2", "net.b2", "net.w3", "net.b3", "net.c", "net.cb",
 * then "g1.*", "g2.*"; standard and rbf-importance none. Noise is not a parameter.
 */
final class Parameters {
    private Parameters() {}

    static Map<String, double[]> of(AttentionKernel kernel) {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (kernel instanceof dev.ika4j.api.kernel.GatKernel g) {
            out.put("a_src", g.aSrc().toArray());
            out.put("a_dst", g.aDst().toArray());
        } else if (kernel instanceof IkaDirectKernel k) {
            out.put("w1", k.w1().toArray());
            out.put("w2", k.w2().toArray());
        } else if (kernel instanceof IkaGeneratorKernel k) {
            generator(out, "g1", k.g1());
            generator(out, "g2", k.g2());
        } else if (kernel instanceof CopulaKernel k) {
            var n = k.net();
            List<ParamTensor> net = List.of(n.w1(), n.b1(), n.w2(), n.b2(), n.w3(), n.b3(), n.c(), n.cb());
            List<String> names = List.of("w1", "b1", "w2", "b2", "w3", "b3", "c", "cb");
            for (int i = 0; i < names.size(); i++) out.put("net." + names.get(i), net.get(i).toArray());
            generator(out, "g1", k.g1());
            generator(out, "g2", k.g2());
        }
        return out;
    }

    private static void generator(Map<String, double[]> out, String prefix, SpectralGenerator g) {
        List<ParamTensor> t = List.of(g.w1(), g.b1(), g.w2(), g.b2(), g.w3(), g.b3());
        List<String> names = List.of("w1", "b1", "w2", "b2", "w3", "b3");
        for (int i = 0; i < names.size(); i++) out.put(prefix + "." + names.get(i), t.get(i).toArray());
    }

    /**
     * The values of {@code name}, which must hold {@code length} numbers.
     *
     * @throws IllegalArgumentException naming the parameter and both lengths otherwise
     */
    static double[] sized(Map<String, double[]> values, String name, int length) {
        double[] v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no values for parameter " + name);
        if (v.length != length) {
            throw new IllegalArgumentException("parameter " + name + " has " + v.length + " values but its shape needs " + length);
        }
        return v;
    }
}
