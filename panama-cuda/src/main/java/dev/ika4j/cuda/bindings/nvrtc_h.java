/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;


/**
 * Downcalls for {@code native-headers/ika_nvrtc.h} (NVRTC, libnvrtc.so.13 or .12), in the shape jextract emits:
 * one public static method per C function, named as the C symbol, backed by a lazily
 * initialised holder class with its {@code FunctionDescriptor}, address and {@code MethodHandle};
 * C layouts and typedefs as constants; enumerators as static methods.
 *
 * <p>Not generated: jextract is not installed where this was written, so this class was
 * written by hand in its shape ({@code native-headers/regenerate-bindings.sh} regenerates it
 * where jextract exists). {@code BindingsMatchHeadersTest} checks every symbol name and
 * descriptor here against the header.
 *
 * <p>The preamble jextract repeats in every header class (C layouts, tracing, the symbol
 * lookup) lives once in {@link ika_h$shared}; one deliberate difference from jextract: the
 * lookup is {@linkplain #bind bound} at run time instead of naming a library at generation time.
 */
@SuppressWarnings({"unused", "restricted"})
public final class nvrtc_h extends ika_h$shared {

    private nvrtc_h() {
    }

    private static final Symbols SYMBOLS = new Symbols("nvrtc_h");

    /** Binds this header's functions to {@code lookup}; once (NativeLibraries.load() calls it). */
    public static void bind(SymbolLookup lookup) {
        SYMBOLS.bind(lookup);
    }

    /** Whether {@link #bind} has been called. */
    public static boolean isBound() {
        return SYMBOLS.isBound();
    }

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOLS.findOrThrow(symbol);
    }

    /** {@code typedef struct _nvrtcProgram * nvrtcProgram} */
    public static final AddressLayout nvrtcProgram = nvrtc_h.C_POINTER;

    /** {@code typedef enum nvrtcResult} */
    public static final ValueLayout.OfInt nvrtcResult = nvrtc_h.C_INT;

    private static final class nvrtcGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_POINTER,
            nvrtc_h.C_INT
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetErrorString");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * nvrtcGetErrorString(nvrtcResult result)
     * }
     */
    public static FunctionDescriptor nvrtcGetErrorString$descriptor() {
        return nvrtcGetErrorString.DESC;
    }

    /** Downcall method handle for {@code nvrtcGetErrorString}. */
    public static MethodHandle nvrtcGetErrorString$handle() {
        return nvrtcGetErrorString.HANDLE;
    }

    /** Address of {@code nvrtcGetErrorString}. */
    public static MemorySegment nvrtcGetErrorString$address() {
        return nvrtcGetErrorString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * nvrtcGetErrorString(nvrtcResult result)
     * }
     */
    public static MemorySegment nvrtcGetErrorString(int result) {
        var mh$ = nvrtcGetErrorString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetErrorString", result);
            }
            return (MemorySegment) mh$.invokeExact(result);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class nvrtcVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcVersion");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcVersion(int *major, int *minor)
     * }
     */
    public static FunctionDescriptor nvrtcVersion$descriptor() {
        return nvrtcVersion.DESC;
    }

    /** Downcall method handle for {@code nvrtcVersion}. */
    public static MethodHandle nvrtcVersion$handle() {
        return nvrtcVersion.HANDLE;
    }

    /** Address of {@code nvrtcVersion}. */
    public static MemorySegment nvrtcVersion$address() {
        return nvrtcVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcVersion(int *major, int *minor)
     * }
     */
    public static int nvrtcVersion(MemorySegment major, MemorySegment minor) {
        var mh$ = nvrtcVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcVersion", major, minor);
            }
            return (int) mh$.invokeExact(major, minor);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class nvrtcCreateProgram {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcCreateProgram");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char *const *headers, const char *const *includeNames)
     * }
     */
    public static FunctionDescriptor nvrtcCreateProgram$descriptor() {
        return nvrtcCreateProgram.DESC;
    }

    /** Downcall method handle for {@code nvrtcCreateProgram}. */
    public static MethodHandle nvrtcCreateProgram$handle() {
        return nvrtcCreateProgram.HANDLE;
    }

    /** Address of {@code nvrtcCreateProgram}. */
    public static MemorySegment nvrtcCreateProgram$address() {
        return nvrtcCreateProgram.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char *const *headers, const char *const *includeNames)
     * }
     */
    public static int nvrtcCreateProgram(MemorySegment prog, MemorySegment src, MemorySegment name, int numHeaders, MemorySegment headers, MemorySegment includeNames) {
        var mh$ = nvrtcCreateProgram.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcCreateProgram", prog, src, name, numHeaders, headers, includeNames);
            }
            return (int) mh$.invokeExact(prog, src, name, numHeaders, headers, includeNames);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class nvrtcDestroyProgram {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcDestroyProgram");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog)
     * }
     */
    public static FunctionDescriptor nvrtcDestroyProgram$descriptor() {
        return nvrtcDestroyProgram.DESC;
    }

    /** Downcall method handle for {@code nvrtcDestroyProgram}. */
    public static MethodHandle nvrtcDestroyProgram$handle() {
        return nvrtcDestroyProgram.HANDLE;
    }

    /** Address of {@code nvrtcDestroyProgram}. */
    public static MemorySegment nvrtcDestroyProgram$address() {
        return nvrtcDestroyProgram.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog)
     * }
     */
    public static int nvrtcDestroyProgram(MemorySegment prog) {
        var mh$ = nvrtcDestroyProgram.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcDestroyProgram", prog);
            }
            return (int) mh$.invokeExact(prog);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class nvrtcCompileProgram {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcCompileProgram");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char *const *options)
     * }
     */
    public static FunctionDescriptor nvrtcCompileProgram$descriptor() {
        return nvrtcCompileProgram.DESC;
    }

    /** Downcall method handle for {@code nvrtcCompileProgram}. */
    public static MethodHandle nvrtcCompileProgram$handle() {
        return nvrtcCompileProgram.HANDLE;
    }

    /** Address of {@code nvrtcCompileProgram}. */
    public static MemorySegment nvrtcCompileProgram$address() {
        return nvrtcCompileProgram.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char *const *options)
     * }
     */
    public static int nvrtcCompileProgram(MemorySegment prog, int numOptions, MemorySegment options) {
        var mh$ = nvrtcCompileProgram.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcCompileProgram", prog, numOptions, options);
            }
            return (int) mh$.invokeExact(prog, numOptions, options);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class nvrtcGetPTXSize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetPTXSize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet)
     * }
     */
    public static FunctionDescriptor nvrtcGetPTXSize$descriptor() {
        return nvrtcGetPTXSize.DESC;
    }

    /** Downcall method handle for {@code nvrtcGetPTXSize}. */
    public static MethodHandle nvrtcGetPTXSize$handle() {
        return nvrtcGetPTXSize.HANDLE;
    }

    /** Address of {@code nvrtcGetPTXSize}. */
    public static MemorySegment nvrtcGetPTXSize$address() {
        return nvrtcGetPTXSize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet)
     * }
     */
    public static int nvrtcGetPTXSize(MemorySegment prog, MemorySegment ptxSizeRet) {
        var mh$ = nvrtcGetPTXSize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetPTXSize", prog, ptxSizeRet);
            }
            return (int) mh$.invokeExact(prog, ptxSizeRet);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class nvrtcGetPTX {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetPTX");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx)
     * }
     */
    public static FunctionDescriptor nvrtcGetPTX$descriptor() {
        return nvrtcGetPTX.DESC;
    }

    /** Downcall method handle for {@code nvrtcGetPTX}. */
    public static MethodHandle nvrtcGetPTX$handle() {
        return nvrtcGetPTX.HANDLE;
    }

    /** Address of {@code nvrtcGetPTX}. */
    public static MemorySegment nvrtcGetPTX$address() {
        return nvrtcGetPTX.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx)
     * }
     */
    public static int nvrtcGetPTX(MemorySegment prog, MemorySegment ptx) {
        var mh$ = nvrtcGetPTX.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetPTX", prog, ptx);
            }
            return (int) mh$.invokeExact(prog, ptx);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class nvrtcGetProgramLogSize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetProgramLogSize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet)
     * }
     */
    public static FunctionDescriptor nvrtcGetProgramLogSize$descriptor() {
        return nvrtcGetProgramLogSize.DESC;
    }

    /** Downcall method handle for {@code nvrtcGetProgramLogSize}. */
    public static MethodHandle nvrtcGetProgramLogSize$handle() {
        return nvrtcGetProgramLogSize.HANDLE;
    }

    /** Address of {@code nvrtcGetProgramLogSize}. */
    public static MemorySegment nvrtcGetProgramLogSize$address() {
        return nvrtcGetProgramLogSize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet)
     * }
     */
    public static int nvrtcGetProgramLogSize(MemorySegment prog, MemorySegment logSizeRet) {
        var mh$ = nvrtcGetProgramLogSize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetProgramLogSize", prog, logSizeRet);
            }
            return (int) mh$.invokeExact(prog, logSizeRet);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class nvrtcGetProgramLog {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetProgramLog");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log)
     * }
     */
    public static FunctionDescriptor nvrtcGetProgramLog$descriptor() {
        return nvrtcGetProgramLog.DESC;
    }

    /** Downcall method handle for {@code nvrtcGetProgramLog}. */
    public static MethodHandle nvrtcGetProgramLog$handle() {
        return nvrtcGetProgramLog.HANDLE;
    }

    /** Address of {@code nvrtcGetProgramLog}. */
    public static MemorySegment nvrtcGetProgramLog$address() {
        return nvrtcGetProgramLog.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log)
     * }
     */
    public static int nvrtcGetProgramLog(MemorySegment prog, MemorySegment log) {
        var mh$ = nvrtcGetProgramLog.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetProgramLog", prog, log);
            }
            return (int) mh$.invokeExact(prog, log);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int NVRTC_SUCCESS = (int) 0L;

    /** {@code NVRTC_SUCCESS = 0} ({@code nvrtcResult}) */
    public static int NVRTC_SUCCESS() {
        return NVRTC_SUCCESS;
    }

    private static final int NVRTC_ERROR_OUT_OF_MEMORY = (int) 1L;

    /** {@code NVRTC_ERROR_OUT_OF_MEMORY = 1} ({@code nvrtcResult}) */
    public static int NVRTC_ERROR_OUT_OF_MEMORY() {
        return NVRTC_ERROR_OUT_OF_MEMORY;
    }

    private static final int NVRTC_ERROR_PROGRAM_CREATION_FAILURE = (int) 2L;

    /** {@code NVRTC_ERROR_PROGRAM_CREATION_FAILURE = 2} ({@code nvrtcResult}) */
    public static int NVRTC_ERROR_PROGRAM_CREATION_FAILURE() {
        return NVRTC_ERROR_PROGRAM_CREATION_FAILURE;
    }

    private static final int NVRTC_ERROR_INVALID_INPUT = (int) 3L;

    /** {@code NVRTC_ERROR_INVALID_INPUT = 3} ({@code nvrtcResult}) */
    public static int NVRTC_ERROR_INVALID_INPUT() {
        return NVRTC_ERROR_INVALID_INPUT;
    }

    private static final int NVRTC_ERROR_INVALID_PROGRAM = (int) 4L;

    /** {@code NVRTC_ERROR_INVALID_PROGRAM = 4} ({@code nvrtcResult}) */
    public static int NVRTC_ERROR_INVALID_PROGRAM() {
        return NVRTC_ERROR_INVALID_PROGRAM;
    }

    private static final int NVRTC_ERROR_INVALID_OPTION = (int) 5L;

    /** {@code NVRTC_ERROR_INVALID_OPTION = 5} ({@code nvrtcResult}) */
    public static int NVRTC_ERROR_INVALID_OPTION() {
        return NVRTC_ERROR_INVALID_OPTION;
    }

    private static final int NVRTC_ERROR_COMPILATION = (int) 6L;

    /** {@code NVRTC_ERROR_COMPILATION = 6} ({@code nvrtcResult}) */
    public static int NVRTC_ERROR_COMPILATION() {
        return NVRTC_ERROR_COMPILATION;
    }

    private static final int NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = (int) 7L;

    /** {@code NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = 7} ({@code nvrtcResult}) */
    public static int NVRTC_ERROR_BUILTIN_OPERATION_FAILURE() {
        return NVRTC_ERROR_BUILTIN_OPERATION_FAILURE;
    }

    private static final int NVRTC_ERROR_INTERNAL_ERROR = (int) 11L;

    /** {@code NVRTC_ERROR_INTERNAL_ERROR = 11} ({@code nvrtcResult}) */
    public static int NVRTC_ERROR_INTERNAL_ERROR() {
        return NVRTC_ERROR_INTERNAL_ERROR;
    }
}
