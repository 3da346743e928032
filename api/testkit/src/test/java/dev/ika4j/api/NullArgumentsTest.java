/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.KernelGradient;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.Availability;
import dev.ika4j.api.spi.MaskRows;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The null rule, over the public API by reflection: every public constructor and method that takes
 * an object rejects a null there with a {@link NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}), before anything else; the few
 * parameters documented as nullable are listed below, each with its reason.
 */
class NullArgumentsTest {
    /** Parameters that take null on purpose ("Type.method(param)"), and why. */
    private static final Set<String> NULLABLE = Set.of(
            "Builder.mask(mask)",                        // null: no mask
            "Builder.past(pastKey)", "Builder.past(pastValue)", // both null: no cache (one alone is an IAE)
            "Builder.kvLengths(kvLengths)",              // null: every key valid
            "Builder.scoresOutput(stage)",               // null: no scores output
            "Builder.outputDType(dtype)",                 // null: the output in Q's dtype
            "Tensor.contentEquals(other)",               // like equals: false
            "Setting.get(fallback)",                     // the caller's default may be null
            "AttentionResult.<init>(presentKey)", "AttentionResult.<init>(presentValue)", // a backend's own value
            "AttentionResult.<init>(energy)", "AttentionResult.<init>(scores)",           // null unless asked for
            "AttentionGradients.<init>(dPastKey)", "AttentionGradients.<init>(dPastValue)"); // null without a cache

    private static final Tensor T = Tensor.bhsd(new float[] {1}, 1, 1, 1, 1);

    /** A valid value of each parameter type, so that only the null under test can fail the call. */
    private static final Map<Class<?>, Object> SAMPLES = Map.ofEntries(
            Map.entry(Tensor.class, T),
            Map.entry(AttentionOptions.class, AttentionOptions.DEFAULT),
            Map.entry(AttentionMask.class, AttentionMask.bool(new boolean[] {true}, 1)),
            Map.entry(AttentionKernel.class, AttentionKernel.standard()),
            Map.entry(BackendConfig.class, BackendConfig.defaults().withThreads(1)),
            Map.entry(BackendConfig.CudaPath.class, BackendConfig.CudaPath.GEMM),
            Map.entry(DType.class, DType.FLOAT16),
            Map.entry(Tensor.Layout.class, Tensor.Layout.BHSD),
            Map.entry(ScoreStage.class, ScoreStage.values()[0]),
            Map.entry(Support.class, Support.yes()),
            Map.entry(KernelGradient.class, KernelGradient.NONE),
            Map.entry(ParamTensor.class, ParamTensor.of(new double[] {1}, 1)),
            Map.entry(IkaOptions.class, IkaOptions.DEFAULT),
            Map.entry(NoiseSource.class, NoiseSource.seeded(1, NoiseSource.Mode.INFERENCE)),
            Map.entry(MemorySegment.class, MemorySegment.ofArray(new float[1])),
            Map.entry(Duration.class, Duration.ofMillis(1)),
            Map.entry(AttentionShape.class, AttentionShape.of(1, 1, 1, 1)),
            Map.entry(AttentionShape[].class, new AttentionShape[] {AttentionShape.of(1, 1, 1, 1)}),
            Map.entry(String.class, "reference"),
            Map.entry(float[].class, new float[1]),
            Map.entry(short[].class, new short[1]),
            Map.entry(double[].class, new double[] {1}),
            Map.entry(boolean[].class, new boolean[] {true}),
            Map.entry(int[].class, new int[] {1}));

    /** Public types whose static members and constructors are checked, and instances whose methods are. */
    private static List<Object> subjects(ReferenceBackend backend) {
        return List.of(Tensor.class, T, AttentionOptions.class, AttentionOptions.DEFAULT, AttentionOptions.builder(),
                AttentionMask.class, AttentionMask.bool(new boolean[] {true}, 1), BackendConfig.class,
                BackendConfig.defaults(), Backends.class, Support.class, Support.yes(), Setting.class, Settings.THREADS,
                AttentionResult.class, AttentionShape.class, DType.class, AttentionGradients.class, KernelGradient.Direct.class,
                KernelGradient.Generator.class, KernelGradient.Copula.class, ParamTensor.class, MaskRows.class,
                MaskRows.of(AttentionMask.bool(new boolean[] {true}, 1)), Availability.class,
                dev.ika4j.api.spi.AttentionProblem.class, dev.ika4j.api.spi.SupportChecks.class,
                dev.ika4j.api.spi.Gradients.class, backend);
    }

    @Test
    void everyNonNullableObjectParameterThrowsANullPointerExceptionNamingIt() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        try (ReferenceBackend backend = new ReferenceBackend()) {
            for (Object subject : subjects(backend)) {
                Class<?> type = subject instanceof Class<?> c ? c : subject.getClass();
                List<Executable> members = new ArrayList<>();
                if (subject instanceof Class<?>) {
                    for (Constructor<?> c : type.getConstructors()) members.add(c);
                    for (Method m : type.getMethods()) if (Modifier.isStatic(m.getModifiers())) members.add(m);
                } else {
                    for (Method m : type.getMethods()) {
                        if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class) members.add(m);
                    }
                }
                for (Executable e : members) {
                    if (!Modifier.isPublic(e.getDeclaringClass().getModifiers()) || e.getName().equals("equals")) continue;
                    if (type.isEnum() && e.getName().equals("valueOf")) continue;   // the JDK's own, with its own message
                    Parameter[] params = e.getParameters();
                    Object[] args = samples(params);
                    if (args == null) continue;   // a parameter type without a sample: not checkable here
                    for (int i = 0; i < params.length; i++) {
                        if (params[i].getType().isPrimitive()) continue;
                        String id = type.getSimpleName() + "." + (e instanceof Constructor ? "<init>" : e.getName()) + "("
                                + params[i].getName() + ")";
                        if (NULLABLE.contains(id)) continue;
                        Object[] call = args.clone();
                        call[i] = null;
                        checked++;
                        String failure = invoke(e, subject, call, params[i].getName());
                        if (failure != null) wrong.add(id + ": " + failure);
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), "null arguments not rejected the Java way (" + wrong.size() + " of " + checked + "):\n"
                + String.join("\n", wrong));
        assertTrue(checked >= 80, "the test reached " + checked + " parameters only");
    }

    private static Object[] samples(Parameter[] params) {
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            Class<?> t = params[i].getType();
            if (t == int.class) args[i] = 1;
            else if (t == long.class) args[i] = 1L;
            else if (t == double.class) args[i] = 1.0;
            else if (t == float.class) args[i] = 1f;
            else if (t == boolean.class) args[i] = false;
            else if (SAMPLES.containsKey(t)) args[i] = SAMPLES.get(t);
            else return null;
        }
        return args;
    }

    /** Null when the call threw the expected NullPointerException, else what happened. */
    private static String invoke(Executable e, Object subject, Object[] args, String name) {
        try {
            if (e instanceof Constructor<?> c) c.newInstance(args);
            else ((Method) e).invoke(subject instanceof Class<?> ? null : subject, args);
            return "accepted null";
        } catch (InvocationTargetException ex) {
            Throwable t = ex.getCause();
            if (t instanceof NullPointerException && name.equals(t.getMessage())) return null;
            return t.getClass().getSimpleName() + " '" + t.getMessage() + "'";
        } catch (ReflectiveOperationException | IllegalArgumentException ex) {
            return "could not call: " + ex;
        }
    }
}
