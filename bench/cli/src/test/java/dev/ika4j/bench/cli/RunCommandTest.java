/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.bench.npy.Npy;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.Neighbourhood;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives {@code ./ika run} through its entry point with .npy files, as a NumPy user would. */
class RunCommandTest {
    @TempDir
    Path dir;

    private final SplittableRandom rnd = new SplittableRandom(42);

    private double[] gaussians(int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = scale * (rnd.nextDouble() * 2 - 1) * 1.7;
        return a;
    }

    private String save(String name, double[] data, int... shape) throws Exception {
        Path p = dir.resolve(name);
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        Npy.writeFloat32(p, f, shape);
        return p.toString();
    }

    private String save64(String name, double[] data, int... shape) throws Exception {
        Path p = dir.resolve(name);
        Npy.writeFloat64(p, data, shape);
        return p.toString();
    }

    private static Tensor tensor(double[] data, int... s) {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return Tensor.bhsd(f, s[0], s[1], s[2], s[3]);
    }

    private static String run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = RunCommand.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, "exit code of ./ika run " + String.join(" ", args));
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static void assertClose(String what, Tensor expected, Npy.Array actual, double atol) {
        float[] e = expected.toArray();
        float[] a = actual.toFloats();
        assertEquals(e.length, a.length, what + " size");
        for (int i = 0; i < e.length; i++) {
            if (Float.isInfinite(e[i])) assertEquals(e[i], a[i], what + "[" + i + "]");
            else assertEquals(e[i], a[i], atol, what + "[" + i + "]");
        }
    }

    private String saveHalf(String name, double[] data, int... shape) throws Exception {
        Path p = dir.resolve(name);
        short[] h = new short[data.length];
        for (int i = 0; i < h.length; i++) h[i] = Float.floatToFloat16((float) data[i]);
        Npy.writeFloat16(p, h, shape);
        return p.toString();
    }

    /** float16 .npy in, float16 .npy out (the ONNX fp16 way), and --out-dtype float32 on request. */
    @Test
    void float16FilesRunInHalfPrecision() throws Exception {
        int b = 1, h = 4, kvh = 2, s = 5, kv = 9, d = 8;
        String qf = saveHalf("Q16.npy", gaussians(b * h * s * d, 1), b, h, s, d);
        String kf = saveHalf("K16.npy", gaussians(b * kvh * kv * d, 1), b, kvh, kv, d);
        String vf = saveHalf("V16.npy", gaussians(b * kvh * kv * d, 1), b, kvh, kv, d);
        String yf = dir.resolve("Y16.npy").toString(), y32 = dir.resolve("Y32.npy").toString(), pk = dir.resolve("PK.npy").toString();
        run("--q", qf, "--k", kf, "--v", vf, "--out", yf, "--causal", "--present-key", pk);
        run("--q", qf, "--k", kf, "--v", vf, "--out", y32, "--causal", "--out-dtype", "float32");
        Npy.Array y = Npy.read(Path.of(yf)), wide = Npy.read(Path.of(y32)), present = Npy.read(Path.of(pk));
        assertTrue(y.isFloat16(), y.dtype());
        assertEquals("<f4", wide.dtype());
        assertTrue(present.isFloat16(), "the present key keeps K's dtype: " + present.dtype());
        assertArrayEquals(Npy.read(Path.of(kf)).data(), present.data());

        Tensor q = Tensor.bhsd(Npy.read(Path.of(qf)).toFloats(), b, h, s, d);
        Tensor k = Tensor.bhsd(Npy.read(Path.of(kf)).toFloats(), b, kvh, kv, d);
        Tensor v = Tensor.bhsd(Npy.read(Path.of(vf)).toFloats(), b, kvh, kv, d);
        Tensor want = new ReferenceBackend().attention(q, k, v, AttentionOptions.builder().causal(true).build()).output();
        float[] e = want.toArray(), a = y.toFloats(), a32 = wide.toFloats();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a32[i], 1e-5, "float32 output [" + i + "]");
            // rounded once from the float32 result: within half a float16 ulp plus the float32 error
            double halfUlp = Math.scalb(1.0, Math.max(Math.getExponent(Math.max(Math.abs(e[i]), Math.abs(a[i]))), -14) - 10);
            assertEquals(e[i], a[i], 0.5 * halfUlp + 1e-5, "float16 output [" + i + "]");
            assertEquals(Float.floatToFloat16(a32[i]), Float.floatToFloat16(a[i]), "float16 output [" + i + "] is the float32 one rounded");
        }
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.run(new String[] {"--q", qf, "--k", kf, "--v", vf, "--out", yf, "--out-dtype", "bfloat16"},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(ex.getMessage().contains("bfloat16"), ex.getMessage());
        String mf = saveHalf("M16.npy", gaussians(s * kv, 1), s, kv);
        ex = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.run(new String[] {"--q", qf, "--k", kf, "--v", vf, "--out", yf, "--mask", mf},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(ex.getMessage().contains("float16") && ex.getMessage().contains("[5, 9]") && ex.getMessage().contains("--mask"),
                ex.getMessage());
        String v32 = save("V32.npy", gaussians(b * kvh * kv * d, 1), b, kvh, kv, d);
        ex = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.run(new String[] {"--q", qf, "--k", kf, "--v", v32, "--out", yf},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(ex.getMessage().contains("K and V must have one dtype"), ex.getMessage());
    }

    @Test
    void helpListsEveryFlagAndFile() {
        assertTrue(RunCommand.flags().size() > 50, "flags: " + RunCommand.flags());
        for (String flag : RunCommand.flags()) {
            assertTrue(RunCommand.HELP.contains("--" + flag + " ") || RunCommand.HELP.contains("--" + flag + "\n"), "--help lists --" + flag);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(0, RunCommand.run(new String[] {"--help"}, new PrintStream(buf, true, StandardCharsets.UTF_8)));
        assertEquals(RunCommand.HELP, buf.toString(StandardCharsets.UTF_8));
    }

    /** The command of the issue, word for word, against the reference computed in-process. */
    @Test
    void issueExampleAuthorsPreset() throws Exception {
        int b = 2, h = 3, s = 7, d = 8, m = 16;
        double[] q = gaussians(b * h * s * d, 1), k = gaussians(b * h * s * d, 1), v = gaussians(b * h * s * d, 1);
        double[] w1 = gaussians(d * h * m, 0.3), w2 = gaussians(d * h * m, 0.3);
        String qf = save("Q.npy", q, b, h, s, d), kf = save("K.npy", k, b, h, s, d), vf = save("V.npy", v, b, h, s, d);
        String w1f = save("W1.npy", w1, d, h, m), w2f = save("W2.npy", w2, d, h, m);
        String yf = dir.resolve("Y.npy").toString(), ef = dir.resolve("E.npy").toString();
        String printed = run("--variant", "ika-direct", "--preset", "authors", "--p", "3.0", "--q", qf, "--k", kf, "--v", vf, "--w1", w1f,
                "--w2", w2f, "--out", yf, "--energy", ef);
        assertTrue(printed.contains("ika-direct"), printed);

        Npy.Array y = Npy.read(Path.of(yf)), e = Npy.read(Path.of(ef));
        assertArrayEquals(new int[] {b, h, s, d}, y.shape());
        assertArrayEquals(new int[] {b, h, s, s}, e.shape());
        IkaDirectKernel kernel = new IkaDirectKernel(ParamTensor.of(toF(w1), d, h, m), ParamTensor.of(toF(w2), d, h, m),
                IkaOptions.builder().preset(Preset.AUTHORS).p(3).build());
        AttentionResult ref = new ReferenceBackend().attention(tensor(q, b, h, s, d), tensor(k, b, h, s, d), tensor(v, b, h, s, d),
                AttentionOptions.builder().kernel(kernel).returnEnergy(true).build());
        assertClose("Y", ref.output(), y, 1e-4);
        assertClose("E", ref.energy(), e, 2e-3);
    }

    /** float32 inputs are read as float32: widen the way the reference call above sees them. */
    private static float[] toF(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    /** The copula from a parameter directory and a seed, with a mask, float64 files and a 3-D Q (it refuses causal). */
    @Test
    void copulaFromParamsDirectory() throws Exception {
        int b = 1, h = 2, s = 6, d = 4, m = 6;
        double[] q = gaussians(b * s * h * d, 1), k = gaussians(b * h * s * d, 1), v = gaussians(b * h * s * 3, 1);
        Path params = dir.resolve("params");
        java.nio.file.Files.createDirectories(params);
        String[] gParts = {"w1", "b1", "w2", "b2", "w3", "b3"};
        int[][] gShapes = {{d, 5}, {5, 1, 1}, {5, 5}, {5}, {5, d}, {d, 1, 1}};
        ParamTensor[][] gens = new ParamTensor[2][6];
        for (int g = 0; g < 2; g++)
            for (int i = 0; i < 6; i++) {
                int n = 1;
                for (int x : gShapes[i]) n *= x;
                double[] val = gaussians(n, 0.5);
                save64("params/g" + (g + 1) + "_" + gParts[i] + ".npy", val, gShapes[i]);
                gens[g][i] = ParamTensor.of(val, i % 2 == 1 ? new int[] {n} : gShapes[i]);
            }
        String[] cParts = {"w1", "b1", "w2", "b2", "w3", "b3", "c", "cb"};
        int[][] cShapes = {{2 * d, d}, {d}, {d, d}, {d}, {d, d}, {d}, {d, d}, {d}};
        ParamTensor[] cp = new ParamTensor[8];
        for (int i = 0; i < 8; i++) {
            int n = 1;
            for (int x : cShapes[i]) n *= x;
            double[] val = gaussians(n, 0.5);
            save64("params/copula_" + cParts[i] + ".npy", val, cShapes[i]);
            cp[i] = ParamTensor.of(val, cShapes[i]);
        }
        boolean[] allowed = new boolean[s * s];
        for (int i = 0; i < allowed.length; i++) allowed[i] = i % 5 != 1;
        Path maskFile = dir.resolve("mask.npy");
        writeBool(maskFile, allowed, s, s);
        String qf = save64("Q3.npy", q, b, s, h * d), kf = save("K.npy", k, b, h, s, d), vf = save("V.npy", v, b, h, s, 3);
        String yf = dir.resolve("Y.npy").toString(), rf = dir.resolve("R.npy").toString();
        run("--variant", "copula", "--params", params.toString(), "--seed", "5", "--M", String.valueOf(m), "--q", qf, "--heads", "2",
                "--kv-heads", "2", "--k", kf, "--v", vf, "--mask", maskFile.toString(), "--out", yf, "--regularizer", rf,
                "--backend", "reference");

        float[] qf32 = toF(q);
        Tensor qt = Tensor.bshd(qf32, b, s, h, d);
        CopulaKernel kernel = new CopulaKernel(new CopulaNet(cp[0], cp[1], cp[2], cp[3], cp[4], cp[5], cp[6], cp[7]),
                new SpectralGenerator(gens[0][0], gens[0][1], gens[0][2], gens[0][3], gens[0][4], gens[0][5]),
                new SpectralGenerator(gens[1][0], gens[1][1], gens[1][2], gens[1][3], gens[1][4], gens[1][5]), m,
                NoiseSource.seeded(5, NoiseSource.Mode.INFERENCE), IkaOptions.DEFAULT);
        AttentionResult ref = new ReferenceBackend().attention(qt, tensor(k, b, h, s, d), tensor(v, b, h, s, 3),
                AttentionOptions.builder().kernel(kernel).mask(AttentionMask.bool(allowed, s, s)).build());
        Npy.Array y = Npy.read(Path.of(yf));
        assertArrayEquals(new int[] {b, s, h * 3}, y.shape(), "3-D Q gives a 3-D output");
        float[] packed = ref.output().array();
        for (int i = 0; i < packed.length; i++) assertEquals(packed[i], (float) y.data()[i], 1e-6);
        assertEquals(ref.regularizer(), Npy.read(Path.of(rf)).data()[0], 1e-12 * Math.abs(ref.regularizer()));
    }

    /**
     * --scores writes the stage --scores-stage names (by name or ONNX mode), with a past cache,
     * a 3-D Q, an additive mask, causal and softcap; against the reference's scores output.
     */
    @Test
    void scoresAtEveryStage() throws Exception {
        int b = 2, h = 2, s = 5, past = 3, d = 4, total = past + s;
        double[] q = gaussians(b * s * h * d, 1), k = gaussians(b * h * s * d, 1), v = gaussians(b * h * s * d, 1);
        double[] pk = gaussians(b * h * past * d, 1), pv = gaussians(b * h * past * d, 1), mask = gaussians(s * total, 1);
        mask[3] = Double.NEGATIVE_INFINITY;
        String qf = save("Q3.npy", q, b, s, h * d), kf = save("K.npy", k, b, h, s, d), vf = save("V.npy", v, b, h, s, d);
        String pkf = save("PK.npy", pk, b, h, past, d), pvf = save("PV.npy", pv, b, h, past, d), mf = save("M.npy", mask, s, total);
        String[][] stages = {{"0", "SCALED_QK"}, {"after-softcap", "AFTER_SOFTCAP"}, {"2", "AFTER_MASK"}, {"after-softmax", "AFTER_SOFTMAX"}};
        for (String[] st : stages) {
            String yf = dir.resolve("Y.npy").toString(), sf = dir.resolve("S-" + st[0] + ".npy").toString();
            run("--q", qf, "--heads", "2", "--k", kf, "--v", vf, "--past-key", pkf, "--past-value", pvf, "--mask", mf, "--causal",
                    "--softcap", "1.5", "--out", yf, "--scores", sf, "--scores-stage", st[0], "--backend", "simd");
            AttentionResult ref = new ReferenceBackend().attention(Tensor.bshd(toF(q), b, s, h, d), tensor(k, b, h, s, d),
                    tensor(v, b, h, s, d), AttentionOptions.builder().past(tensor(pk, b, h, past, d), tensor(pv, b, h, past, d))
                            .mask(AttentionMask.additive(toF(mask), s, total)).causal(true).softcap(1.5)
                            .scoresOutput(dev.ika4j.api.ScoreStage.valueOf(st[1])).build());
            Npy.Array got = Npy.read(Path.of(sf));
            assertArrayEquals(new int[] {b, h, s, total}, got.shape(), st[0]);
            assertClose("scores " + st[0], ref.scores(), got, 1e-5);
        }
        // without --scores-stage: mode 0, as in ONNX
        String sf = dir.resolve("S.npy").toString();
        run("--q", qf, "--heads", "2", "--k", kf, "--v", vf, "--softcap", "1.5", "--out", dir.resolve("Y.npy").toString(), "--scores", sf,
                "--backend", "reference");
        AttentionResult raw = new ReferenceBackend().attention(Tensor.bshd(toF(q), b, s, h, d), tensor(k, b, h, s, d), tensor(v, b, h, s, d),
                AttentionOptions.builder().softcap(1.5).scoresOutput(dev.ika4j.api.ScoreStage.SCALED_QK).build());
        assertClose("scores default", raw.scores(), Npy.read(Path.of(sf)), 1e-6);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunCommand.run(new String[] {"--q", kf, "--k", kf,
                "--v", vf, "--out", dir.resolve("y.npy").toString(), "--scores-stage", "2"}));
        assertTrue(e.getMessage().contains("--scores"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunCommand.run(new String[] {"--q", kf, "--k", kf, "--v", vf, "--out",
                dir.resolve("y.npy").toString(), "--scores", sf, "--scores-stage", "logits"}));
        assertTrue(e.getMessage().contains("--scores-stage") && e.getMessage().contains("logits"), e.getMessage());
    }

    private static void writeBool(Path p, boolean[] a, int... shape) throws Exception {
        String dict = "{'descr': '|b1', 'fortran_order': False, 'shape': (" + shape[0] + ", " + shape[1] + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        for (boolean x : a) out.write(x ? 1 : 0);
        java.nio.file.Files.write(p, out.toByteArray());
    }

    @Test
    void badInputIsAClearError() throws Exception {
        String qf = save("Q.npy", gaussians(2 * 3 * 4, 1), 1, 2, 3, 4);
        assertEquals(2, Main.run(new String[] {"run", "--variant", "ika-direct", "--q", qf, "--k", qf, "--v", qf, "--out", "y.npy"}),
                "ika-direct without --w1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.run(new String[] {"--q", qf, "--k", qf, "--v", qf, "--out", "y.npy", "--bogus", "1"}));
        assertTrue(e.getMessage().contains("--bogus"));
        e = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.run(new String[] {"--q", dir.resolve("none.npy").toString(), "--k", qf, "--v", qf, "--out", "y.npy"}));
        assertTrue(e.getMessage().contains("none.npy"));
        e = assertThrows(IllegalArgumentException.class, () -> RunCommand.run(new String[] {"--variant", "rbf-importance", "--p", "-1",
                "--q", qf, "--k", qf, "--v", qf, "--out", dir.resolve("y.npy").toString()}));
        assertTrue(e.getMessage().contains("p"), e.getMessage());
    }

    /** --indptr/--indices (int32 and int64) and --band on simd, against the reference computed in-process. */
    @Test
    void neighbourhoodsFromNpyFiles() throws Exception {
        int b = 1, h = 2, s = 6, d = 4;
        double[] q = gaussians(b * h * s * d, 1), k = gaussians(b * h * s * d, 1), v = gaussians(b * h * s * d, 1);
        String qf = save("Q.npy", q, b, h, s, d), kf = save("K.npy", k, b, h, s, d), vf = save("V.npy", v, b, h, s, d);
        int[] indptr = {0, 2, 2, 5, 6, 6, 8};
        int[] indices = {0, 3, 1, 2, 5, 4, 0, 5};
        Path p32 = dir.resolve("indptr.npy"), x64 = dir.resolve("indices.npy");
        Npy.writeInt32(p32, indptr, indptr.length);
        long[] wide = new long[indices.length];
        for (int i = 0; i < wide.length; i++) wide[i] = indices[i];
        Npy.writeInt64(x64, wide, wide.length);
        Tensor want = new ReferenceBackend().attention(tensor(q, b, h, s, d), tensor(k, b, h, s, d), tensor(v, b, h, s, d),
                AttentionOptions.builder().kernel(new RbfImportanceKernel(2.0, null)).neighbourhood(Neighbourhood.csr(indptr, indices)).build()).output();
        String out = dir.resolve("y.npy").toString();
        run("--variant", "rbf-importance", "--q", qf, "--k", kf, "--v", vf, "--out", out, "--backend", "simd",
                "--indptr", p32.toString(), "--indices", x64.toString());
        assertClose("csr", want, Npy.read(Path.of(out)), 1e-5);
        Tensor band = new ReferenceBackend().attention(tensor(q, b, h, s, d), tensor(k, b, h, s, d), tensor(v, b, h, s, d),
                AttentionOptions.builder().causal(true).neighbourhood(Neighbourhood.banded(2, 0)).build()).output();
        run("--q", qf, "--k", kf, "--v", vf, "--out", out, "--backend", "simd", "--band", "2,0", "--causal");
        assertClose("band", band, Npy.read(Path.of(out)), 1e-5);
        assertOneLineError(mainRun("run", "--q", qf, "--k", kf, "--v", vf, "--out", out, "--indptr", p32.toString()), "--indices");
        assertOneLineError(mainRun("run", "--q", qf, "--k", kf, "--v", vf, "--out", out, "--indptr", qf, "--indices", x64.toString()),
                "--indptr", "int32");
        Path bad = dir.resolve("bad.npy");
        Npy.writeInt32(bad, new int[] {0, 1, 9, 0, 0, 0, 0, 0}, 8);
        assertOneLineError(mainRun("run", "--q", qf, "--k", kf, "--v", vf, "--out", out, "--backend", "simd", "--indptr", p32.toString(),
                "--indices", bad.toString()), "indices[2] = 9");
    }

    /** --variant gat with --a-src/--a-dst over a CSR graph, against the reference in-process. */
    @Test
    void gatOverAGraph() throws Exception {
        int h = 2, s = 5, d = 3;
        double[] q = gaussians(h * s * d, 1), v = gaussians(h * s * d, 1), as = gaussians(h * d, 1), ad = gaussians(h * d, 1);
        String qf = save("Q.npy", q, 1, h, s, d), vf = save("V.npy", v, 1, h, s, d);
        String af = save64("asrc.npy", as, h, d), df = save64("adst.npy", ad, h, d);
        int[] indptr = {0, 1, 3, 3, 5, 6}, indices = {1, 0, 2, 4, 3, 0};
        Path pf = dir.resolve("p.npy"), xf = dir.resolve("x.npy");
        Npy.writeInt32(pf, indptr, indptr.length);
        Npy.writeInt32(xf, indices, indices.length);
        dev.ika4j.api.kernel.GatKernel g = new dev.ika4j.api.kernel.GatKernel(dev.ika4j.api.kernel.ParamTensor.of(as, h, d),
                dev.ika4j.api.kernel.ParamTensor.of(ad, h, d));
        Tensor want = new ReferenceBackend().attention(tensor(q, 1, h, s, d), tensor(q, 1, h, s, d), tensor(v, 1, h, s, d),
                AttentionOptions.builder().kernel(g).neighbourhood(Neighbourhood.csr(indptr, indices)).build()).output();
        String out = dir.resolve("g.npy").toString();
        run("--variant", "gat", "--q", qf, "--k", qf, "--v", vf, "--out", out, "--backend", "simd", "--a-src", af, "--a-dst", df,
                "--indptr", pf.toString(), "--indices", xf.toString());
        assertClose("gat", want, Npy.read(Path.of(out)), 1e-5);
        assertOneLineError(mainRun("run", "--variant", "gat", "--q", qf, "--k", qf, "--v", vf, "--out", out, "--a-src", af), "--a-dst");
    }

    /** Main.run with stderr captured: the exit code and what it printed. */
    private static String[] mainRun(String... args) {
        java.io.PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(args);
        } finally {
            System.setErr(old);
        }
        return new String[] {Integer.toString(rc), err.toString(StandardCharsets.UTF_8)};
    }

    /** One line on stderr naming {@code named}, exit code 2, no stack trace. */
    private static void assertOneLineError(String[] result, String... named) {
        assertEquals("2", result[0], "exit code; stderr: " + result[1]);
        String text = result[1].strip();
        assertEquals(1, text.lines().count(), "one line: " + text);
        assertTrue(!text.contains("Exception") && !text.contains("\tat "), "no stack trace: " + text);
        for (String n : named) assertTrue(text.contains(n), "'" + text + "' should name " + n);
    }

    private Path rawFile(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        java.nio.file.Files.write(p, bytes);
        return p;
    }

    private static byte[] npyHeader(int major, long headerLen, String header) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + header.length()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) headerLen);
        else b.putInt((int) headerLen);
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Issue 15, finding 8: malformed .npy files printed stack traces (StringIndexOutOfBounds,
     * NegativeArraySize); --kv-lengths abc a bare NumberFormatException; --out into a missing folder
     * a raw NoSuchFileException after computing. Each is now one line naming the file or flag, exit 2.
     */
    @Test
    void malformedInputsAreOneLineErrors() throws Exception {
        String qf = save("Q.npy", gaussians(2 * 3 * 4, 1), 1, 2, 3, 4), out = dir.resolve("Y.npy").toString();
        String good = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3, 4), }";
        Path cut = rawFile("cut.npy", java.util.Arrays.copyOf(npyHeader(1, good.length(), good), 30));
        Path beyond = rawFile("beyond.npy", npyHeader(1, 60000, good));
        Path v2 = rawFile("v2.npy", npyHeader(2, 1L << 31, good));
        Path negative = rawFile("negative.npy", npyHeader(1, 70, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, -2, 3, 4), }"));
        Path huge = rawFile("huge.npy", npyHeader(1, 90,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }"));
        for (Path bad : List.of(cut, beyond, v2, negative, huge)) {
            assertOneLineError(mainRun("run", "--q", bad.toString(), "--k", qf, "--v", qf, "--out", out), bad.getFileName().toString());
        }
        assertOneLineError(mainRun("run", "--q", qf, "--k", qf, "--v", qf, "--out", out, "--kv-lengths", "abc"), "--kv-lengths", "abc");
        String missing = dir.resolve("no-such-folder").resolve("Y.npy").toString();
        assertOneLineError(mainRun("run", "--q", qf, "--k", qf, "--v", qf, "--out", missing), "--out", "no-such-folder", "does not exist");
        // checked before computing: even inputs that would fail later are not read first
        assertOneLineError(mainRun("run", "--q", cut.toString(), "--k", qf, "--v", qf, "--energy", missing, "--out", out), "--energy");
        assertTrue(!java.nio.file.Files.exists(Path.of(out)), "nothing written");
    }
}
