/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Neighbourhood;
import dev.ika4j.api.kernel.GatKernel;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.BackendUnavailableException;
import dev.ika4j.api.Backends;
import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.bench.npy.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./ika run}: one attention call of any kernel with any options, inputs and parameters from
 * NumPy .npy files, results written as .npy, so ika4j can be checked against NumPy or PyTorch
 * without writing Java. {@link #HELP} is the reference for every flag and file.
 */
final class RunCommand {
    private RunCommand() {}

    static final String HELP = """
            usage: ./ika run --variant NAME --q Q.npy --k K.npy --v V.npy --out Y.npy [options]

            Computes one attention call and writes the result as .npy. Inputs may be float32 or float64
            (C order; computed in float32, parameters kept in float64); results are float32.

            Variants (--variant):
              standard         softmax(scale Q K^T) V
              rbf-importance   sections 1-2: -|q-k|^2/(2 tau) + |q|_p^2/(2 tau) + |k|_p^2/(2 tau)
              ika-direct       section 3: log((phi(q).phi(k)/(4M))^2 + eps) + I_p(q) + I_p(k), W1/W2 given
              ika-generator    section 4: W1 = g1(z), W2 = g2(z) from noise z [d, heads, M]
              copula           section 5 (MIKAN): copula-coupled noise [batch, d, heads, M], then g1, g2
              gat              GAT's score LeakyReLU(a_dst.q_i + a_src.k_j), slope 0.2 (PyG GATConv)
              gat-kernel       its kernel form: a_dst.q_i + a_src.k_j - scale |q_i - k_j|^2 / 2

            Input files:
              --q FILE           queries [batch, heads, seq, d], or [batch, seq, heads*d] with --heads
              --k FILE           keys [batch, kv_heads, kv_seq, d], or [batch, kv_seq, kv_heads*d]
              --v FILE           values [batch, kv_heads, kv_seq, v_dim], or [batch, kv_seq, kv_heads*v_dim]
              --mask FILE        attention mask, rank 1-4, broadcast to [batch, heads, seq, total_kv]:
                                 bool (true = attend) or float (added to the logits)
              --past-key FILE    KV cache [batch, kv_heads, past, d], put in front of K
              --past-value FILE  KV cache [batch, kv_heads, past, v_dim]
              --w1 FILE          ika-direct: spectral points [d, heads, M] (the authors' AttSharedW.w1)
              --w2 FILE          ika-direct: spectral points [d, heads, M]
              --a-src FILE       gat, gat-kernel: the neighbour's (key's) attention vector [heads, d]
              --a-dst FILE       gat, gat-kernel: the receiving node's (query's) attention vector [heads, d]
              --g1-w1 --g1-b1 --g1-w2 --g1-b2 --g1-w3 --g1-b3 FILE
                                 generator of W1 (the authors' WNet): w1 [d, n1], b1 [n1], w2 [n1, n2],
                                 b2 [n2], w3 [n2, d], b3 [d] (biases of any shape with that many values)
              --g2-w1 --g2-b1 --g2-w2 --g2-b2 --g2-w3 --g2-b3 FILE
                                 generator of W2, likewise
              --copula-w1 --copula-b1 --copula-w2 --copula-b2 --copula-w3 --copula-b3 --copula-c --copula-cb FILE
                                 the authors' CopulaNet: w1 [2d, n], b1 [n], w2 [n, d], b2 [d], w3 [n, d],
                                 b3 [d], c = copula_w1 [n, d], cb = copula_b1 [d]
              --noise FILE       standard-normal noise: [d, heads, M] (ika-generator) or
                                 [batch, d, heads, M] (copula; columns < M/2 positive, the rest negative)
              --params DIR       any parameter file not given by its flag is read from DIR/<name>.npy,
                                 name as the flag without dashes, '-' as '_': w1, g1_w1, copula_cb, noise, ...

            Output files:
              --out FILE         the attention output [batch, heads, seq, v_dim] ([batch, seq, heads*v_dim]
                                 when Q was 3-D)
              --energy FILE      the logits before the softmax [batch, heads, seq, total_kv], masked = -inf
              --scores FILE      standard attention's scores [batch, heads, seq, total_kv] at --scores-stage
                                 (the ONNX output qk_matmul_output)
              --present-key FILE, --present-value FILE   past + new K and V
              --regularizer FILE the kernel's regulariser (copula: kl_lambda KL + copula_lambda H(u)), shape [1], float64

            Options:
              --preset paper|authors   paper (default): tau = sqrt(d); authors: their code's tau = d^(1/4) and,
                                 for copula, their einsum and Normal(mu, var) readings (see CopulaKernel)
              --p P              importance norm order, > 0 (default 2; the authors use 1.8, 2, 2.5, 3)
              --tau T            importance temperature (default from the preset and the scale)
              --eps E            added to kappa inside the log (default 1e-5)
              --c C              frequency scale of the spectral points (default 2 pi)
              --M M              spectral samples for ika-generator/copula with --seed (else from the files)
              --seed S           draw the noise from this seed instead of --noise (draw 0)
              --prior-var V      copula prior variance (default 0.1)
              --kl-lambda L      copula KL weight (default 0.1)
              --copula-lambda L  copula entropy weight (default 1.0)
              --scale S          logit scale, default 1/sqrt(d) (tau = 1/scale for the paper preset)
              --softcap C        soft-capping (standard kernel only)
              --causal           causal attention (query i sees keys <= past + i)
              --kv-lengths N,N   valid keys per batch entry (past included)
              --indptr FILE      CSR row offsets (1-D int32/int64, q_seq + 1) of each query's keys, shared by
                                 every batch entry and head; with --indices FILE (1-D int32/int64, the key
                                 positions): query i attends only to keys indices[indptr[i] .. indptr[i+1])
              --band L,R         banded neighbourhood: query at position t sees keys t-L .. t+R (with --causal too)
              --scores-stage S   which scores --scores writes, by name or ONNX qk_matmul_output_mode:
                                 scaled-qk (0, default: scale Q K^T), after-softcap (1), after-mask (2: the
                                 softmax's input, masked = -inf), after-softmax (3: the attention weights)
              --linear           linear-time form (ika-direct, ika-generator, copula; no mask or energy)
              --heads N          query heads, when Q is 3-D; --kv-heads N likewise for K, V (default --heads)
              --out-dtype T      float32 or float16: the dtype of --out (default: Q's; float16 .npy (<f2)
                                 files are read as float16 tensors; K and V must then share a dtype,
                                 masks stay bool or float32)
              --backend NAME     auto (default), reference, simd, cuda; IKA_BACKEND works too
              --help             this text (also -h)
            """;

    private static final Set<String> SWITCHES = Set.of("causal", "linear", "help");
    private static final String[] GENERATOR_PARTS = {"w1", "b1", "w2", "b2", "w3", "b3"};
    private static final String[] COPULA_PARTS = {"w1", "b1", "w2", "b2", "w3", "b3", "c", "cb"};
    private static final Set<String> VALUED = valued();

    private static Set<String> valued() {
        java.util.HashSet<String> s = new java.util.HashSet<>(Set.of("variant", "q", "k", "v", "mask", "past-key", "past-value", "w1",
                "w2", "noise", "params", "out", "energy", "present-key", "present-value", "regularizer", "preset", "p", "tau", "eps",
                "c", "M", "seed", "prior-var", "kl-lambda", "copula-lambda", "scale", "softcap", "kv-lengths", "heads", "kv-heads",
                "backend", "scores", "scores-stage", "out-dtype", "indptr", "indices", "band", "a-src", "a-dst"));
        for (String g : new String[] {"g1", "g2"}) for (String part : GENERATOR_PARTS) s.add(g + "-" + part);
        for (String part : COPULA_PARTS) s.add("copula-" + part);
        return Set.copyOf(s);
    }

    static int run(String[] args) {
        return run(args, System.out);
    }

    /** Every flag the command accepts, without the leading dashes. */
    static Set<String> flags() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(VALUED);
        all.addAll(SWITCHES);
        return all;
    }

    static int run(String[] args, PrintStream out) {
        Map<String, String> f = parse(args);
        if (f.containsKey("help") || args.length == 0) {
            out.print(HELP);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return execute(f, out);
        } catch (IOException e) {
            // one line, naming the file (the JDK's messages for file errors are the path itself)
            System.err.println("ika run: " + (e instanceof java.nio.file.FileSystemException fe
                    ? fe.getFile() + ": " + (fe.getReason() != null ? fe.getReason() : e.getClass().getSimpleName())
                    : e.getMessage()));
            return 2;
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h")) a = "--help";
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "' (flags start with --; try --help)");
            String name = a.substring(2), value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (SWITCHES.contains(name)) {
                if (value != null) throw new IllegalArgumentException("--" + name + " takes no value");
                f.put(name, "true");
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("--" + name + " needs a value");
                    value = args[++i];
                }
                f.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown flag --" + name + " (try --help)");
            }
        }
        return f;
    }

    /** The flags naming files that the command writes. */
    private static final List<String> OUTPUTS = List.of("out", "energy", "scores", "present-key", "present-value", "regularizer");

    /** Every output file's folder must exist before anything is computed. */
    private static void checkOutputs(Map<String, String> f) {
        for (String flag : OUTPUTS) {
            String file = f.get(flag);
            if (file == null) continue;
            Path p = Path.of(file).toAbsolutePath(), dir = p.getParent();
            if (Files.isDirectory(p)) throw new IllegalArgumentException("--" + flag + " " + file + " is a folder; give a file name");
            if (dir != null && !Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--" + flag + " " + file + ": the folder " + dir + " does not exist");
            }
            if (dir != null && !Files.isWritable(dir)) {
                throw new IllegalArgumentException("--" + flag + " " + file + ": the folder " + dir + " is not writable");
            }
        }
    }

    private static int execute(Map<String, String> f, PrintStream out) throws IOException {
        String outFile = required(f, "out");
        checkOutputs(f);
        Npy.Array qa = read(required(f, "q"), "q"), ka = read(required(f, "k"), "k"), va = read(required(f, "v"), "v");
        int heads = f.containsKey("heads") ? positiveInt(f, "heads") : -1;
        int kvHeads = f.containsKey("kv-heads") ? positiveInt(f, "kv-heads") : heads;
        Tensor q = tensor(qa, "q", heads), k = tensor(ka, "k", kvHeads), v = tensor(va, "v", kvHeads);

        AttentionOptions.Builder o = AttentionOptions.builder().causal(f.containsKey("causal")).returnEnergy(f.containsKey("energy"));
        if (f.containsKey("scale")) o.scale(number(f, "scale"));
        if (f.containsKey("softcap")) o.softcap(number(f, "softcap"));
        if (f.containsKey("mask")) {
            Npy.Array m = read(f.get("mask"), "mask");
            if (m.isFloat16()) {
                throw new IllegalArgumentException("--mask " + f.get("mask") + " is float16 " + m.shapeString()
                        + "; masks are bool or float32 (save it as float32: the values widen exactly)");
            }
            o.mask(m.isBool() ? AttentionMask.bool(m.toBooleans(), m.shape()) : AttentionMask.additive(m.toFloats(), m.shape()));
        }
        if (f.containsKey("past-key") != f.containsKey("past-value")) {
            throw new IllegalArgumentException("--past-key and --past-value go together");
        }
        if (f.containsKey("past-key")) {
            o.past(tensor(read(f.get("past-key"), "past-key"), "past-key", -1), tensor(read(f.get("past-value"), "past-value"), "past-value", -1));
        }
        if (f.containsKey("kv-lengths")) {
            o.kvLengths(intList(f, "kv-lengths"));
        }
        if (f.containsKey("indptr") != f.containsKey("indices")) {
            throw new IllegalArgumentException("--indptr and --indices go together (a CSR neighbourhood)");
        }
        if (f.containsKey("indptr") && f.containsKey("band")) {
            throw new IllegalArgumentException("--band and --indptr/--indices are two neighbourhoods; give one");
        }
        if (f.containsKey("indptr")) {
            o.neighbourhood(Neighbourhood.csr(csrArray(f, "indptr"), csrArray(f, "indices")));
        }
        if (f.containsKey("band")) {
            int[] lr = intList(f, "band");
            if (lr.length != 2) throw new IllegalArgumentException("--band needs two integers L,R, got '" + f.get("band") + "'");
            o.neighbourhood(Neighbourhood.banded(lr[0], lr[1]));
        }
        if (f.containsKey("scores-stage") && !f.containsKey("scores")) {
            throw new IllegalArgumentException("--scores-stage " + f.get("scores-stage") + " chooses what --scores FILE holds; give --scores");
        }
        if (f.containsKey("scores")) o.scoresOutput(scoreStage(f.getOrDefault("scores-stage", "0")));
        if (f.containsKey("out-dtype")) o.outputDType(outDType(f.get("out-dtype")));
        String variant = f.getOrDefault("variant", "standard").toLowerCase(Locale.ROOT);
        o.kernel(kernel(variant, f, q.dim()));

        String backendName = f.getOrDefault("backend", Backends.configuredName());
        AttentionBackend backend;
        try {
            backend = Backends.open(backendName);
        } catch (BackendUnavailableException e) {
            System.err.println("ika run: " + e.getMessage());
            return 3;
        }
        AttentionResult r;
        long t0 = System.nanoTime();
        try (backend) {
            r = backend.attention(q, k, v, o.build());
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        write(Path.of(outFile), r.output(), qa.rank() == 3);
        if (f.containsKey("energy")) write(Path.of(f.get("energy")), r.energy(), false);
        if (f.containsKey("scores")) write(Path.of(f.get("scores")), r.scores(), false);
        if (f.containsKey("present-key")) write(Path.of(f.get("present-key")), r.presentKey(), false);
        if (f.containsKey("present-value")) write(Path.of(f.get("present-value")), r.presentValue(), false);
        if (f.containsKey("regularizer")) Npy.writeFloat64(Path.of(f.get("regularizer")), new double[] {r.regularizer()}, 1);
        out.printf(Locale.ROOT, "ika run: %s on %s, Q %s K %s V %s -> %s %s in %.1f ms%s%n", o.build().kernel().name(), backend.name(),
                q.shapeString(), k.shapeString(), v.shapeString(), outFile, r.output().shapeString(), ms,
                r.regularizer() != 0 ? String.format(Locale.ROOT, ", regularizer %.9g", r.regularizer()) : "");
        return 0;
    }

    /** --scores-stage: a stage's name (scaled-qk, after-softcap, after-mask, after-softmax) or its ONNX mode 0-3. */
    static ScoreStage scoreStage(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.matches("\\d")) return ScoreStage.ofOnnxMode(Integer.parseInt(v));
        for (ScoreStage s : ScoreStage.values()) {
            if (s.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(v)) return s;
        }
        throw new IllegalArgumentException("--scores-stage must be scaled-qk, after-softcap, after-mask, after-softmax or 0-3, got '"
                + value + "'");
    }

    /** The kernel the flags describe; parameter files are read here. */
    static AttentionKernel kernel(String variant, Map<String, String> f, int dim) throws IOException {
        return switch (variant) {
            case "standard", "dot" -> AttentionKernel.standard();
            case "rbf-importance", "rbf" -> new RbfImportanceKernel(f.containsKey("p") ? number(f, "p") : 2.0,
                    f.containsKey("tau") ? number(f, "tau") : null);
            case "ika-direct", "direct", "ikandirect" -> new IkaDirectKernel(param(f, "w1"), param(f, "w2"), ikaOptions(f));
            case "ika-generator", "generator" -> {
                ParamTensor noise = optionalParam(f, "noise");
                int m = noise != null ? noise.dim(noise.rank() - 1) : positiveInt(f, "M");
                yield new IkaGeneratorKernel(generator(f, "g1"), generator(f, "g2"), m, noiseSource(f, noise), ikaOptions(f));
            }
            case "copula", "mikan" -> {
                ParamTensor noise = optionalParam(f, "noise");
                int m = noise != null ? noise.dim(noise.rank() - 1) : positiveInt(f, "M");
                double prior = f.containsKey("prior-var") ? number(f, "prior-var") : CopulaKernel.DEFAULT_PRIOR_VAR;
                double kl = f.containsKey("kl-lambda") ? number(f, "kl-lambda") : CopulaKernel.DEFAULT_KL_LAMBDA;
                double cl = f.containsKey("copula-lambda") ? number(f, "copula-lambda") : CopulaKernel.DEFAULT_COPULA_LAMBDA;
                ParamTensor[] c = new ParamTensor[COPULA_PARTS.length];
                for (int i = 0; i < c.length; i++) {
                    c[i] = COPULA_PARTS[i].startsWith("b") || COPULA_PARTS[i].equals("cb") ? bias(f, "copula-" + COPULA_PARTS[i])
                            : param(f, "copula-" + COPULA_PARTS[i]);
                }
                CopulaNet net = new CopulaNet(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
                yield new CopulaKernel(net, generator(f, "g1"), generator(f, "g2"), m, noiseSource(f, noise), prior, kl, cl, ikaOptions(f));
            }
            case "gat" -> new GatKernel(param(f, "a-src"), param(f, "a-dst"));
            case "gat-kernel" -> new GatKernel(param(f, "a-src"), param(f, "a-dst"), GatKernel.DEFAULT_NEGATIVE_SLOPE, GatKernel.Form.KERNEL);
            default -> throw new IllegalArgumentException("unknown --variant '" + variant
                    + "'; one of standard, rbf-importance, ika-direct, ika-generator, copula, gat, gat-kernel");
        };
    }

    private static IkaOptions ikaOptions(Map<String, String> f) {
        IkaOptions.Builder b = IkaOptions.builder().linear(f.containsKey("linear"));
        if (f.containsKey("preset")) b.preset(Preset.parse(f.get("preset")));
        if (f.containsKey("p")) b.p(number(f, "p"));
        if (f.containsKey("tau")) b.tau(number(f, "tau"));
        if (f.containsKey("eps")) b.eps(number(f, "eps"));
        if (f.containsKey("c")) b.frequencyScale(number(f, "c"));
        return b.build();
    }

    private static NoiseSource noiseSource(Map<String, String> f, ParamTensor noise) {
        if (noise != null && f.containsKey("seed")) throw new IllegalArgumentException("give --noise or --seed, not both");
        if (noise != null) return NoiseSource.fixed(noise);
        if (!f.containsKey("seed")) throw new IllegalArgumentException("this variant needs --noise FILE or --seed S");
        return NoiseSource.seeded(Long.parseLong(f.get("seed").trim()), NoiseSource.Mode.INFERENCE);
    }

    private static SpectralGenerator generator(Map<String, String> f, String g) throws IOException {
        return new SpectralGenerator(param(f, g + "-w1"), bias(f, g + "-b1"), param(f, g + "-w2"), bias(f, g + "-b2"), param(f, g + "-w3"),
                bias(f, g + "-b3"));
    }

    /** A required parameter file, by its flag or from --params DIR. */
    private static ParamTensor param(Map<String, String> f, String flag) throws IOException {
        ParamTensor t = optionalParam(f, flag);
        if (t == null) {
            throw new IllegalArgumentException("missing --" + flag + " FILE" + (f.containsKey("params") ? " (and no "
                    + paramsFile(f, flag) + ")" : "") + " for --variant " + f.getOrDefault("variant", "standard"));
        }
        return t;
    }

    /** A bias: any shape holding n values (the authors keep [d, 1, 1]) becomes [n]. */
    private static ParamTensor bias(Map<String, String> f, String flag) throws IOException {
        ParamTensor t = param(f, flag);
        return ParamTensor.of(t.toArray(), t.size());
    }

    private static ParamTensor optionalParam(Map<String, String> f, String flag) throws IOException {
        String file = f.get(flag);
        if (file == null && f.containsKey("params")) {
            Path p = paramsFile(f, flag);
            if (Files.exists(p)) file = p.toString();
        }
        if (file == null) return null;
        Npy.Array a = read(file, flag);
        return ParamTensor.of(a.data(), a.shape());
    }

    private static Path paramsFile(Map<String, String> f, String flag) {
        return Path.of(f.get("params"), flag.replace('-', '_') + ".npy");
    }

    private static Npy.Array read(String file, String flag) throws IOException {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("--" + flag + ": no such file " + file);
        Npy.Array a = Npy.read(p);
        if (a.rank() == 0) throw new IllegalArgumentException("--" + flag + " " + file + " is a scalar; an array is needed");
        return a;
    }

    /** A 4-D array as [batch, heads, seq, dim], or a 3-D one as the packed [batch, seq, heads*dim]. */
    /** --out-dtype: float32 or float16 (.npy has no bfloat16: that one is for the API only). */
    static DType outDType(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "float32", "f4", "<f4" -> DType.FLOAT32;
            case "float16", "f2", "<f2" -> DType.FLOAT16;
            case "bfloat16" -> throw new IllegalArgumentException("--out-dtype bfloat16: numpy has no bfloat16 type, so a .npy file "
                    + "cannot hold one; use float16 or float32 here, or the API (DType.BFLOAT16)");
            default -> throw new IllegalArgumentException("--out-dtype must be float32 or float16, got '" + name + "'");
        };
    }

    /** A float16 file becomes a FLOAT16 tensor (its words, untouched), any other a float32 one. */
    private static Tensor tensor(Npy.Array a, String flag, int heads) {
        int[] s = a.shape();
        if (a.isFloat16() && (s.length == 4 || s.length == 3 && heads >= 1 && s[2] % heads == 0)) {
            return s.length == 4 ? Tensor.bhsd(a.toFloat16(), DType.FLOAT16, s[0], s[1], s[2], s[3])
                    : Tensor.bshd(a.toFloat16(), DType.FLOAT16, s[0], s[1], heads, s[2] / heads);
        }
        if (s.length == 4) return Tensor.bhsd(a.toFloats(), s[0], s[1], s[2], s[3]);
        if (s.length == 3) {
            if (heads < 1) throw new IllegalArgumentException("--" + flag + " is 3-D " + a.shapeString() + "; give --heads (and --kv-heads)");
            if (s[2] % heads != 0) {
                throw new IllegalArgumentException("--" + flag + " " + a.shapeString() + ": last dim " + s[2] + " is not a multiple of "
                        + heads + " heads");
            }
            return Tensor.bshd(a.toFloats(), s[0], s[1], heads, s[2] / heads);
        }
        throw new IllegalArgumentException("--" + flag + " must be 4-D [batch, heads, seq, dim] or 3-D [batch, seq, heads*dim], got "
                + a.shapeString());
    }

    private static void write(Path file, Tensor t, boolean packed) throws IOException {
        if (t.dtype() == DType.FLOAT16) {
            // in the logical order, BSHD kept as [batch, seq, heads*dim] when Q came that way
            boolean bshd = packed && t.layout() == Tensor.Layout.BSHD;
            short[] bits = new short[Math.toIntExact(t.size())];
            int o = 0;
            if (bshd) {
                for (int b = 0; b < t.batch(); b++)
                    for (int s = 0; s < t.seq(); s++)
                        for (int h = 0; h < t.heads(); h++)
                            for (int d = 0; d < t.dim(); d++) bits[o++] = Float.floatToFloat16(t.get(b, h, s, d));
                Npy.writeFloat16(file, bits, t.batch(), t.seq(), t.heads() * t.dim());
            } else {
                for (int b = 0; b < t.batch(); b++)
                    for (int h = 0; h < t.heads(); h++)
                        for (int s = 0; s < t.seq(); s++)
                            for (int d = 0; d < t.dim(); d++) bits[o++] = Float.floatToFloat16(t.get(b, h, s, d));
                Npy.writeFloat16(file, bits, t.batch(), t.heads(), t.seq(), t.dim());
            }
            return;
        }
        if (t.dtype() == DType.BFLOAT16) t = t.copy();   // no .npy type: written widened (exactly) to float32
        if (packed && t.layout() == Tensor.Layout.BSHD && t.isHeap()) {
            Npy.writeFloat32(file, t.array(), t.batch(), t.seq(), t.heads() * t.dim());
        } else {
            Npy.writeFloat32(file, t.toArray(), t.batch(), t.heads(), t.seq(), t.dim());
        }
    }

    private static String required(Map<String, String> f, String flag) {
        String v = f.get(flag);
        if (v == null) throw new IllegalArgumentException("missing --" + flag + " (try --help)");
        return v;
    }

    private static double number(Map<String, String> f, String flag) {
        try {
            return Double.parseDouble(f.get(flag).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " needs a number, got '" + f.get(flag) + "'");
        }
    }

    /** A comma-separated list of non-negative integers. */
    private static int[] intList(Map<String, String> f, String flag) {
        String v = f.get(flag);
        String[] parts = v.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
                if (out[i] < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + flag + " needs comma-separated integers >= 0 (N,N,...), got '" + v + "'");
            }
        }
        return out;
    }

    private static int positiveInt(Map<String, String> f, String flag) {
        String v = f.get(flag);
        if (v == null) throw new IllegalArgumentException("missing --" + flag);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " needs a positive integer, got '" + v + "'");
        }
    }

    /** A 1-D int32/int64 .npy file of a CSR neighbourhood. */
    private static long[] csrArray(Map<String, String> f, String flag) throws IOException {
        Npy.Array a = read(f.get(flag), flag);
        if (!a.isInteger() || a.rank() != 1) {
            throw new IllegalArgumentException("--" + flag + " " + f.get(flag) + " must be a 1-D int32 or int64 array, got "
                    + a.dtype() + " " + a.shapeString());
        }
        return a.toLongs();
    }
}
