/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.bindings;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The headers in {@code native-headers/} are the one source of truth: every binding class must
 * declare exactly their functions, resolve each under exactly the header's symbol name, with a
 * descriptor whose argument and return kinds match the C types, and expose exactly their
 * enumerators with their values.
 *
 * <p>Symbol names are observed, not read from source: a copy of the binding class is loaded in
 * a private class loader, bound to a lookup that records what it is asked for and hands out
 * dummy addresses (never called), so the real classes stay unbound for the rest of the JVM.
 */
class BindingsMatchHeadersTest {

    private static final Map<String, String> CLASSES = Map.of(
            "ika_cuda.h", "cuda_h",
            "ika_cublas.h", "cublas_h",
            "ika_curand.h", "curand_h",
            "ika_nvrtc.h", "nvrtc_h");

    @TestFactory
    Stream<DynamicTest> everyBindingMatchesItsHeader() {
        return new TreeMap<>(CLASSES).entrySet().stream().flatMap(entry -> Stream.of(
                DynamicTest.dynamicTest(entry.getValue() + " declares exactly the functions of " + entry.getKey(),
                        () -> sameFunctions(entry.getKey(), entry.getValue())),
                DynamicTest.dynamicTest(entry.getValue() + " symbols and descriptors match " + entry.getKey(),
                        () -> symbolsAndDescriptors(entry.getKey(), entry.getValue())),
                DynamicTest.dynamicTest(entry.getValue() + " Java signatures match " + entry.getKey(),
                        () -> javaSignatures(entry.getKey(), entry.getValue())),
                DynamicTest.dynamicTest(entry.getValue() + " enumerators match " + entry.getKey(),
                        () -> enumerators(entry.getKey(), entry.getValue()))));
    }

    @org.junit.jupiter.api.Test
    void parserReadsEveryKindOfDeclarationWeUse() {
        HeaderModel model = HeaderModel.parse("t.h", """
                typedef struct X_st *X;   /* handle */
                typedef unsigned long long P;
                typedef enum { A = 0, B = 0x10 } E;
                enum T { C = 7 };
                typedef enum T T_t;
                E f(X *out, P p, size_t n, float x, unsigned char c, T_t t, const char *const *names);
                const char *g(E e);
                int h(void);
                """);
        assertEquals(List.of(
                new HeaderModel.Function("f", HeaderModel.Kind.INT, List.of(HeaderModel.Kind.POINTER,
                        HeaderModel.Kind.LONG_LONG, HeaderModel.Kind.SIZE_T, HeaderModel.Kind.FLOAT,
                        HeaderModel.Kind.BYTE, HeaderModel.Kind.INT, HeaderModel.Kind.POINTER),
                        "E f(X *out, P p, size_t n, float x, unsigned char c, T_t t, const char *const *names)"),
                new HeaderModel.Function("g", HeaderModel.Kind.POINTER, List.of(HeaderModel.Kind.INT), "const char *g(E e)"),
                new HeaderModel.Function("h", HeaderModel.Kind.INT, List.of(), "int h(void)")), model.functions());
        assertEquals(Map.of("A", 0L, "B", 16L, "C", 7L), model.enumerators());
    }

    private static void sameFunctions(String header, String className) throws Exception {
        HeaderModel model = HeaderModel.read(header);
        Set<String> declared = model.functions().stream().map(HeaderModel.Function::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> bound = Arrays.stream(Class.forName(binding(className)).getMethods())
                .map(Method::getName).filter(n -> n.endsWith("$descriptor"))
                .map(n -> n.substring(0, n.length() - "$descriptor".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, bound, className + " vs " + header);
    }

    private static void symbolsAndDescriptors(String header, String className) throws Exception {
        HeaderModel model = HeaderModel.read(header);
        List<String> asked = new ArrayList<>();
        SymbolLookup recording = name -> {
            asked.add(name);
            return Optional.of(MemorySegment.ofAddress(0x1000L + 16L * asked.size()));
        };
        URL classes = cuda_h.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> copy = isolated.loadClass(binding(className));
            assertTrue(copy != Class.forName(binding(className)), "the copy must be separate from the real class");
            copy.getMethod("bind", SymbolLookup.class).invoke(null, recording);
            for (HeaderModel.Function function : model.functions()) {
                asked.clear();
                copy.getMethod(function.name() + "$address").invoke(null);
                assertEquals(List.of(function.name()), asked,
                        className + "." + function.name() + " must resolve exactly the header's symbol");
                FunctionDescriptor descriptor = (FunctionDescriptor) copy.getMethod(function.name() + "$descriptor").invoke(null);
                assertEquals(function.params().size(), descriptor.argumentLayouts().size(),
                        "argument count of " + function.declaration());
                for (int i = 0; i < function.params().size(); i++) {
                    assertKind(function.params().get(i), descriptor.argumentLayouts().get(i),
                            "argument " + i + " of " + function.declaration());
                }
                if (function.ret() == null) {
                    assertTrue(descriptor.returnLayout().isEmpty(), "void return of " + function.declaration());
                } else {
                    assertKind(function.ret(), descriptor.returnLayout().orElseThrow(), "return of " + function.declaration());
                }
                MethodHandle handle = (MethodHandle) copy.getMethod(function.name() + "$handle").invoke(null);
                assertEquals(descriptor.toMethodType(), handle.type(), "handle type of " + function.name());
            }
        }
    }

    private static void javaSignatures(String header, String className) throws Exception {
        Class<?> binding = Class.forName(binding(className));
        for (HeaderModel.Function function : HeaderModel.read(header).functions()) {
            List<Method> candidates = Arrays.stream(binding.getMethods())
                    .filter(m -> m.getName().equals(function.name())).toList();
            assertEquals(1, candidates.size(), "one public method " + className + "." + function.name());
            Method method = candidates.getFirst();
            assertTrue(Modifier.isStatic(method.getModifiers()), function.name() + " is static");
            List<Class<?>> expected = function.params().stream().map(BindingsMatchHeadersTest::javaType).toList();
            assertEquals(expected, List.of(method.getParameterTypes()), "parameters of " + function.declaration());
            assertEquals(function.ret() == null ? void.class : javaType(function.ret()), method.getReturnType(),
                    "return type of " + function.declaration());
        }
    }

    private static void enumerators(String header, String className) throws Exception {
        Map<String, Long> declared = HeaderModel.read(header).enumerators();
        Class<?> binding = Class.forName(binding(className));
        Set<String> functions = HeaderModel.read(header).functions().stream().map(HeaderModel.Function::name)
                .collect(Collectors.toSet());
        Map<String, Long> bound = new TreeMap<>();
        for (Method method : binding.getMethods()) {
            // int f(void) functions (cuCtxSynchronize) look like constants: never call them here
            if (Modifier.isStatic(method.getModifiers()) && method.getParameterCount() == 0
                    && method.getReturnType() == int.class && !functions.contains(method.getName())) {
                bound.put(method.getName(), (long) (int) method.invoke(null));
            }
        }
        assertEquals(new TreeMap<>(declared), bound, className + " constants vs " + header);
    }

    private static void assertKind(HeaderModel.Kind kind, MemoryLayout layout, String what) {
        switch (kind) {
            case POINTER -> assertTrue(layout instanceof AddressLayout, what + ": pointer, got " + layout);
            case INT -> assertEquals(ValueLayout.JAVA_INT, withoutName(layout), what);
            case LONG_LONG, SIZE_T -> assertEquals(ValueLayout.JAVA_LONG, withoutName(layout), what);
            case FLOAT -> assertEquals(ValueLayout.JAVA_FLOAT, withoutName(layout), what);
            case BYTE -> assertEquals(ValueLayout.JAVA_BYTE, withoutName(layout), what);
        }
    }

    private static MemoryLayout withoutName(MemoryLayout layout) {
        return layout.withoutName();
    }

    private static Class<?> javaType(HeaderModel.Kind kind) {
        return switch (kind) {
            case POINTER -> MemorySegment.class;
            case INT -> int.class;
            case LONG_LONG, SIZE_T -> long.class;
            case FLOAT -> float.class;
            case BYTE -> byte.class;
        };
    }

    private static String binding(String className) {
        return "dev.ika4j.cuda.bindings." + className;
    }
}
