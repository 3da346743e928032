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
 * Downcalls for {@code native-headers/ika_cuda.h} (CUDA driver API, libcuda.so.1), in the shape jextract emits:
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
public final class cuda_h extends ika_h$shared {

    private cuda_h() {
    }

    private static final Symbols SYMBOLS = new Symbols("cuda_h");

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

    /** {@code typedef unsigned long long CUdeviceptr} */
    public static final ValueLayout.OfLong CUdeviceptr = cuda_h.C_LONG_LONG;

    /** {@code typedef int CUdevice} */
    public static final ValueLayout.OfInt CUdevice = cuda_h.C_INT;

    /** {@code typedef struct CUctx_st * CUcontext} */
    public static final AddressLayout CUcontext = cuda_h.C_POINTER;

    /** {@code typedef struct CUmod_st * CUmodule} */
    public static final AddressLayout CUmodule = cuda_h.C_POINTER;

    /** {@code typedef struct CUfunc_st * CUfunction} */
    public static final AddressLayout CUfunction = cuda_h.C_POINTER;

    /** {@code typedef struct CUevent_st * CUevent} */
    public static final AddressLayout CUevent = cuda_h.C_POINTER;

    /** {@code typedef struct CUstream_st * CUstream} */
    public static final AddressLayout CUstream = cuda_h.C_POINTER;

    /** {@code typedef enum cudaError_enum CUresult} */
    public static final ValueLayout.OfInt CUresult = cuda_h.C_INT;

    /** {@code typedef enum CUdevice_attribute_enum CUdevice_attribute} */
    public static final ValueLayout.OfInt CUdevice_attribute = cuda_h.C_INT;

    /** {@code typedef enum CUfunction_attribute_enum CUfunction_attribute} */
    public static final ValueLayout.OfInt CUfunction_attribute = cuda_h.C_INT;

    /** {@code typedef enum CUstream_flags_enum CUstream_flags} */
    public static final ValueLayout.OfInt CUstream_flags = cuda_h.C_INT;

    /** {@code typedef enum CUevent_flags_enum CUevent_flags} */
    public static final ValueLayout.OfInt CUevent_flags = cuda_h.C_INT;

    private static final class cuInit {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuInit");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuInit$descriptor() {
        return cuInit.DESC;
    }

    /** Downcall method handle for {@code cuInit}. */
    public static MethodHandle cuInit$handle() {
        return cuInit.HANDLE;
    }

    /** Address of {@code cuInit}. */
    public static MemorySegment cuInit$address() {
        return cuInit.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static int cuInit(int Flags) {
        var mh$ = cuInit.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuInit", Flags);
            }
            return (int) mh$.invokeExact(Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDriverGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuDriverGetVersion");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int *driverVersion)
     * }
     */
    public static FunctionDescriptor cuDriverGetVersion$descriptor() {
        return cuDriverGetVersion.DESC;
    }

    /** Downcall method handle for {@code cuDriverGetVersion}. */
    public static MethodHandle cuDriverGetVersion$handle() {
        return cuDriverGetVersion.HANDLE;
    }

    /** Address of {@code cuDriverGetVersion}. */
    public static MemorySegment cuDriverGetVersion$address() {
        return cuDriverGetVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int *driverVersion)
     * }
     */
    public static int cuDriverGetVersion(MemorySegment driverVersion) {
        var mh$ = cuDriverGetVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDriverGetVersion", driverVersion);
            }
            return (int) mh$.invokeExact(driverVersion);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGetErrorName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuGetErrorName");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char **pStr)
     * }
     */
    public static FunctionDescriptor cuGetErrorName$descriptor() {
        return cuGetErrorName.DESC;
    }

    /** Downcall method handle for {@code cuGetErrorName}. */
    public static MethodHandle cuGetErrorName$handle() {
        return cuGetErrorName.HANDLE;
    }

    /** Address of {@code cuGetErrorName}. */
    public static MemorySegment cuGetErrorName$address() {
        return cuGetErrorName.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char **pStr)
     * }
     */
    public static int cuGetErrorName(int error, MemorySegment pStr) {
        var mh$ = cuGetErrorName.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuGetErrorName", error, pStr);
            }
            return (int) mh$.invokeExact(error, pStr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuGetErrorString");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char **pStr)
     * }
     */
    public static FunctionDescriptor cuGetErrorString$descriptor() {
        return cuGetErrorString.DESC;
    }

    /** Downcall method handle for {@code cuGetErrorString}. */
    public static MethodHandle cuGetErrorString$handle() {
        return cuGetErrorString.HANDLE;
    }

    /** Address of {@code cuGetErrorString}. */
    public static MemorySegment cuGetErrorString$address() {
        return cuGetErrorString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char **pStr)
     * }
     */
    public static int cuGetErrorString(int error, MemorySegment pStr) {
        var mh$ = cuGetErrorString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuGetErrorString", error, pStr);
            }
            return (int) mh$.invokeExact(error, pStr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGet {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuDeviceGet");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice *device, int ordinal)
     * }
     */
    public static FunctionDescriptor cuDeviceGet$descriptor() {
        return cuDeviceGet.DESC;
    }

    /** Downcall method handle for {@code cuDeviceGet}. */
    public static MethodHandle cuDeviceGet$handle() {
        return cuDeviceGet.HANDLE;
    }

    /** Address of {@code cuDeviceGet}. */
    public static MemorySegment cuDeviceGet$address() {
        return cuDeviceGet.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice *device, int ordinal)
     * }
     */
    public static int cuDeviceGet(MemorySegment device, int ordinal) {
        var mh$ = cuDeviceGet.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDeviceGet", device, ordinal);
            }
            return (int) mh$.invokeExact(device, ordinal);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetCount {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuDeviceGetCount");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetCount(int *count)
     * }
     */
    public static FunctionDescriptor cuDeviceGetCount$descriptor() {
        return cuDeviceGetCount.DESC;
    }

    /** Downcall method handle for {@code cuDeviceGetCount}. */
    public static MethodHandle cuDeviceGetCount$handle() {
        return cuDeviceGetCount.HANDLE;
    }

    /** Address of {@code cuDeviceGetCount}. */
    public static MemorySegment cuDeviceGetCount$address() {
        return cuDeviceGetCount.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGetCount(int *count)
     * }
     */
    public static int cuDeviceGetCount(MemorySegment count) {
        var mh$ = cuDeviceGetCount.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDeviceGetCount", count);
            }
            return (int) mh$.invokeExact(count);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuDeviceGetName");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetName(char *name, int len, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDeviceGetName$descriptor() {
        return cuDeviceGetName.DESC;
    }

    /** Downcall method handle for {@code cuDeviceGetName}. */
    public static MethodHandle cuDeviceGetName$handle() {
        return cuDeviceGetName.HANDLE;
    }

    /** Address of {@code cuDeviceGetName}. */
    public static MemorySegment cuDeviceGetName$address() {
        return cuDeviceGetName.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGetName(char *name, int len, CUdevice dev)
     * }
     */
    public static int cuDeviceGetName(MemorySegment name, int len, int dev) {
        var mh$ = cuDeviceGetName.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDeviceGetName", name, len, dev);
            }
            return (int) mh$.invokeExact(name, len, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetAttribute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuDeviceGetAttribute");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDeviceGetAttribute$descriptor() {
        return cuDeviceGetAttribute.DESC;
    }

    /** Downcall method handle for {@code cuDeviceGetAttribute}. */
    public static MethodHandle cuDeviceGetAttribute$handle() {
        return cuDeviceGetAttribute.HANDLE;
    }

    /** Address of {@code cuDeviceGetAttribute}. */
    public static MemorySegment cuDeviceGetAttribute$address() {
        return cuDeviceGetAttribute.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev)
     * }
     */
    public static int cuDeviceGetAttribute(MemorySegment pi, int attrib, int dev) {
        var mh$ = cuDeviceGetAttribute.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDeviceGetAttribute", pi, attrib, dev);
            }
            return (int) mh$.invokeExact(pi, attrib, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDevicePrimaryCtxRetain {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuDevicePrimaryCtxRetain");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDevicePrimaryCtxRetain$descriptor() {
        return cuDevicePrimaryCtxRetain.DESC;
    }

    /** Downcall method handle for {@code cuDevicePrimaryCtxRetain}. */
    public static MethodHandle cuDevicePrimaryCtxRetain$handle() {
        return cuDevicePrimaryCtxRetain.HANDLE;
    }

    /** Address of {@code cuDevicePrimaryCtxRetain}. */
    public static MemorySegment cuDevicePrimaryCtxRetain$address() {
        return cuDevicePrimaryCtxRetain.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
     * }
     */
    public static int cuDevicePrimaryCtxRetain(MemorySegment pctx, int dev) {
        var mh$ = cuDevicePrimaryCtxRetain.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDevicePrimaryCtxRetain", pctx, dev);
            }
            return (int) mh$.invokeExact(pctx, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDevicePrimaryCtxRelease_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuDevicePrimaryCtxRelease_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDevicePrimaryCtxRelease_v2$descriptor() {
        return cuDevicePrimaryCtxRelease_v2.DESC;
    }

    /** Downcall method handle for {@code cuDevicePrimaryCtxRelease_v2}. */
    public static MethodHandle cuDevicePrimaryCtxRelease_v2$handle() {
        return cuDevicePrimaryCtxRelease_v2.HANDLE;
    }

    /** Address of {@code cuDevicePrimaryCtxRelease_v2}. */
    public static MemorySegment cuDevicePrimaryCtxRelease_v2$address() {
        return cuDevicePrimaryCtxRelease_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)
     * }
     */
    public static int cuDevicePrimaryCtxRelease_v2(int dev) {
        var mh$ = cuDevicePrimaryCtxRelease_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDevicePrimaryCtxRelease_v2", dev);
            }
            return (int) mh$.invokeExact(dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuCtxSetCurrent {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuCtxSetCurrent");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static FunctionDescriptor cuCtxSetCurrent$descriptor() {
        return cuCtxSetCurrent.DESC;
    }

    /** Downcall method handle for {@code cuCtxSetCurrent}. */
    public static MethodHandle cuCtxSetCurrent$handle() {
        return cuCtxSetCurrent.HANDLE;
    }

    /** Address of {@code cuCtxSetCurrent}. */
    public static MemorySegment cuCtxSetCurrent$address() {
        return cuCtxSetCurrent.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static int cuCtxSetCurrent(MemorySegment ctx) {
        var mh$ = cuCtxSetCurrent.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuCtxSetCurrent", ctx);
            }
            return (int) mh$.invokeExact(ctx);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuCtxGetCurrent {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuCtxGetCurrent");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuCtxGetCurrent(CUcontext *pctx)
     * }
     */
    public static FunctionDescriptor cuCtxGetCurrent$descriptor() {
        return cuCtxGetCurrent.DESC;
    }

    /** Downcall method handle for {@code cuCtxGetCurrent}. */
    public static MethodHandle cuCtxGetCurrent$handle() {
        return cuCtxGetCurrent.HANDLE;
    }

    /** Address of {@code cuCtxGetCurrent}. */
    public static MemorySegment cuCtxGetCurrent$address() {
        return cuCtxGetCurrent.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuCtxGetCurrent(CUcontext *pctx)
     * }
     */
    public static int cuCtxGetCurrent(MemorySegment pctx) {
        var mh$ = cuCtxGetCurrent.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuCtxGetCurrent", pctx);
            }
            return (int) mh$.invokeExact(pctx);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuCtxSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuCtxSynchronize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize(void)
     * }
     */
    public static FunctionDescriptor cuCtxSynchronize$descriptor() {
        return cuCtxSynchronize.DESC;
    }

    /** Downcall method handle for {@code cuCtxSynchronize}. */
    public static MethodHandle cuCtxSynchronize$handle() {
        return cuCtxSynchronize.HANDLE;
    }

    /** Address of {@code cuCtxSynchronize}. */
    public static MemorySegment cuCtxSynchronize$address() {
        return cuCtxSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize(void)
     * }
     */
    public static int cuCtxSynchronize() {
        var mh$ = cuCtxSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuCtxSynchronize");
            }
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemGetInfo_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemGetInfo_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemGetInfo_v2(size_t *free, size_t *total)
     * }
     */
    public static FunctionDescriptor cuMemGetInfo_v2$descriptor() {
        return cuMemGetInfo_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemGetInfo_v2}. */
    public static MethodHandle cuMemGetInfo_v2$handle() {
        return cuMemGetInfo_v2.HANDLE;
    }

    /** Address of {@code cuMemGetInfo_v2}. */
    public static MemorySegment cuMemGetInfo_v2$address() {
        return cuMemGetInfo_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemGetInfo_v2(size_t *free, size_t *total)
     * }
     */
    public static int cuMemGetInfo_v2(MemorySegment free, MemorySegment total) {
        var mh$ = cuMemGetInfo_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemGetInfo_v2", free, total);
            }
            return (int) mh$.invokeExact(free, total);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemAlloc_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemAlloc_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
     * }
     */
    public static FunctionDescriptor cuMemAlloc_v2$descriptor() {
        return cuMemAlloc_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemAlloc_v2}. */
    public static MethodHandle cuMemAlloc_v2$handle() {
        return cuMemAlloc_v2.HANDLE;
    }

    /** Address of {@code cuMemAlloc_v2}. */
    public static MemorySegment cuMemAlloc_v2$address() {
        return cuMemAlloc_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
     * }
     */
    public static int cuMemAlloc_v2(MemorySegment dptr, long bytesize) {
        var mh$ = cuMemAlloc_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemAlloc_v2", dptr, bytesize);
            }
            return (int) mh$.invokeExact(dptr, bytesize);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemFree_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemFree_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static FunctionDescriptor cuMemFree_v2$descriptor() {
        return cuMemFree_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemFree_v2}. */
    public static MethodHandle cuMemFree_v2$handle() {
        return cuMemFree_v2.HANDLE;
    }

    /** Address of {@code cuMemFree_v2}. */
    public static MemorySegment cuMemFree_v2$address() {
        return cuMemFree_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static int cuMemFree_v2(long dptr) {
        var mh$ = cuMemFree_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemFree_v2", dptr);
            }
            return (int) mh$.invokeExact(dptr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemAllocHost_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemAllocHost_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemAllocHost_v2(void **pp, size_t bytesize)
     * }
     */
    public static FunctionDescriptor cuMemAllocHost_v2$descriptor() {
        return cuMemAllocHost_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemAllocHost_v2}. */
    public static MethodHandle cuMemAllocHost_v2$handle() {
        return cuMemAllocHost_v2.HANDLE;
    }

    /** Address of {@code cuMemAllocHost_v2}. */
    public static MemorySegment cuMemAllocHost_v2$address() {
        return cuMemAllocHost_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemAllocHost_v2(void **pp, size_t bytesize)
     * }
     */
    public static int cuMemAllocHost_v2(MemorySegment pp, long bytesize) {
        var mh$ = cuMemAllocHost_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemAllocHost_v2", pp, bytesize);
            }
            return (int) mh$.invokeExact(pp, bytesize);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemFreeHost {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemFreeHost");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemFreeHost(void *p)
     * }
     */
    public static FunctionDescriptor cuMemFreeHost$descriptor() {
        return cuMemFreeHost.DESC;
    }

    /** Downcall method handle for {@code cuMemFreeHost}. */
    public static MethodHandle cuMemFreeHost$handle() {
        return cuMemFreeHost.HANDLE;
    }

    /** Address of {@code cuMemFreeHost}. */
    public static MemorySegment cuMemFreeHost$address() {
        return cuMemFreeHost.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemFreeHost(void *p)
     * }
     */
    public static int cuMemFreeHost(MemorySegment p) {
        var mh$ = cuMemFreeHost.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemFreeHost", p);
            }
            return (int) mh$.invokeExact(p);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyHtoD_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_POINTER,
            cuda_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemcpyHtoD_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
     * }
     */
    public static FunctionDescriptor cuMemcpyHtoD_v2$descriptor() {
        return cuMemcpyHtoD_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemcpyHtoD_v2}. */
    public static MethodHandle cuMemcpyHtoD_v2$handle() {
        return cuMemcpyHtoD_v2.HANDLE;
    }

    /** Address of {@code cuMemcpyHtoD_v2}. */
    public static MemorySegment cuMemcpyHtoD_v2$address() {
        return cuMemcpyHtoD_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
     * }
     */
    public static int cuMemcpyHtoD_v2(long dstDevice, MemorySegment srcHost, long ByteCount) {
        var mh$ = cuMemcpyHtoD_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyHtoD_v2", dstDevice, srcHost, ByteCount);
            }
            return (int) mh$.invokeExact(dstDevice, srcHost, ByteCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoH_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemcpyDtoH_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoH_v2$descriptor() {
        return cuMemcpyDtoH_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemcpyDtoH_v2}. */
    public static MethodHandle cuMemcpyDtoH_v2$handle() {
        return cuMemcpyDtoH_v2.HANDLE;
    }

    /** Address of {@code cuMemcpyDtoH_v2}. */
    public static MemorySegment cuMemcpyDtoH_v2$address() {
        return cuMemcpyDtoH_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static int cuMemcpyDtoH_v2(MemorySegment dstHost, long srcDevice, long ByteCount) {
        var mh$ = cuMemcpyDtoH_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyDtoH_v2", dstHost, srcDevice, ByteCount);
            }
            return (int) mh$.invokeExact(dstHost, srcDevice, ByteCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyHtoDAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_POINTER,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemcpyHtoDAsync_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyHtoDAsync_v2$descriptor() {
        return cuMemcpyHtoDAsync_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemcpyHtoDAsync_v2}. */
    public static MethodHandle cuMemcpyHtoDAsync_v2$handle() {
        return cuMemcpyHtoDAsync_v2.HANDLE;
    }

    /** Address of {@code cuMemcpyHtoDAsync_v2}. */
    public static MemorySegment cuMemcpyHtoDAsync_v2$address() {
        return cuMemcpyHtoDAsync_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyHtoDAsync_v2(long dstDevice, MemorySegment srcHost, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyHtoDAsync_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyHtoDAsync_v2", dstDevice, srcHost, ByteCount, hStream);
            }
            return (int) mh$.invokeExact(dstDevice, srcHost, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoHAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemcpyDtoHAsync_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoHAsync_v2$descriptor() {
        return cuMemcpyDtoHAsync_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemcpyDtoHAsync_v2}. */
    public static MethodHandle cuMemcpyDtoHAsync_v2$handle() {
        return cuMemcpyDtoHAsync_v2.HANDLE;
    }

    /** Address of {@code cuMemcpyDtoHAsync_v2}. */
    public static MemorySegment cuMemcpyDtoHAsync_v2$address() {
        return cuMemcpyDtoHAsync_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyDtoHAsync_v2(MemorySegment dstHost, long srcDevice, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyDtoHAsync_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyDtoHAsync_v2", dstHost, srcDevice, ByteCount, hStream);
            }
            return (int) mh$.invokeExact(dstHost, srcDevice, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoDAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemcpyDtoDAsync_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoDAsync_v2$descriptor() {
        return cuMemcpyDtoDAsync_v2.DESC;
    }

    /** Downcall method handle for {@code cuMemcpyDtoDAsync_v2}. */
    public static MethodHandle cuMemcpyDtoDAsync_v2$handle() {
        return cuMemcpyDtoDAsync_v2.HANDLE;
    }

    /** Address of {@code cuMemcpyDtoDAsync_v2}. */
    public static MemorySegment cuMemcpyDtoDAsync_v2$address() {
        return cuMemcpyDtoDAsync_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyDtoDAsync_v2(long dstDevice, long srcDevice, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyDtoDAsync_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyDtoDAsync_v2", dstDevice, srcDevice, ByteCount, hStream);
            }
            return (int) mh$.invokeExact(dstDevice, srcDevice, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemsetD8Async {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_CHAR,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuMemsetD8Async");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemsetD8Async$descriptor() {
        return cuMemsetD8Async.DESC;
    }

    /** Downcall method handle for {@code cuMemsetD8Async}. */
    public static MethodHandle cuMemsetD8Async$handle() {
        return cuMemsetD8Async.HANDLE;
    }

    /** Address of {@code cuMemsetD8Async}. */
    public static MemorySegment cuMemsetD8Async$address() {
        return cuMemsetD8Async.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)
     * }
     */
    public static int cuMemsetD8Async(long dstDevice, byte uc, long N, MemorySegment hStream) {
        var mh$ = cuMemsetD8Async.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemsetD8Async", dstDevice, uc, N, hStream);
            }
            return (int) mh$.invokeExact(dstDevice, uc, N, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamCreate {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuStreamCreate");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuStreamCreate$descriptor() {
        return cuStreamCreate.DESC;
    }

    /** Downcall method handle for {@code cuStreamCreate}. */
    public static MethodHandle cuStreamCreate$handle() {
        return cuStreamCreate.HANDLE;
    }

    /** Address of {@code cuStreamCreate}. */
    public static MemorySegment cuStreamCreate$address() {
        return cuStreamCreate.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)
     * }
     */
    public static int cuStreamCreate(MemorySegment phStream, int Flags) {
        var mh$ = cuStreamCreate.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuStreamCreate", phStream, Flags);
            }
            return (int) mh$.invokeExact(phStream, Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamDestroy_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuStreamDestroy_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuStreamDestroy_v2$descriptor() {
        return cuStreamDestroy_v2.DESC;
    }

    /** Downcall method handle for {@code cuStreamDestroy_v2}. */
    public static MethodHandle cuStreamDestroy_v2$handle() {
        return cuStreamDestroy_v2.HANDLE;
    }

    /** Address of {@code cuStreamDestroy_v2}. */
    public static MemorySegment cuStreamDestroy_v2$address() {
        return cuStreamDestroy_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static int cuStreamDestroy_v2(MemorySegment hStream) {
        var mh$ = cuStreamDestroy_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuStreamDestroy_v2", hStream);
            }
            return (int) mh$.invokeExact(hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuStreamSynchronize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuStreamSynchronize$descriptor() {
        return cuStreamSynchronize.DESC;
    }

    /** Downcall method handle for {@code cuStreamSynchronize}. */
    public static MethodHandle cuStreamSynchronize$handle() {
        return cuStreamSynchronize.HANDLE;
    }

    /** Address of {@code cuStreamSynchronize}. */
    public static MemorySegment cuStreamSynchronize$address() {
        return cuStreamSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static int cuStreamSynchronize(MemorySegment hStream) {
        var mh$ = cuStreamSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuStreamSynchronize", hStream);
            }
            return (int) mh$.invokeExact(hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventCreate {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuEventCreate");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventCreate(CUevent *phEvent, unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuEventCreate$descriptor() {
        return cuEventCreate.DESC;
    }

    /** Downcall method handle for {@code cuEventCreate}. */
    public static MethodHandle cuEventCreate$handle() {
        return cuEventCreate.HANDLE;
    }

    /** Address of {@code cuEventCreate}. */
    public static MemorySegment cuEventCreate$address() {
        return cuEventCreate.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventCreate(CUevent *phEvent, unsigned int Flags)
     * }
     */
    public static int cuEventCreate(MemorySegment phEvent, int Flags) {
        var mh$ = cuEventCreate.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuEventCreate", phEvent, Flags);
            }
            return (int) mh$.invokeExact(phEvent, Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventRecord {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuEventRecord");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventRecord(CUevent hEvent, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuEventRecord$descriptor() {
        return cuEventRecord.DESC;
    }

    /** Downcall method handle for {@code cuEventRecord}. */
    public static MethodHandle cuEventRecord$handle() {
        return cuEventRecord.HANDLE;
    }

    /** Address of {@code cuEventRecord}. */
    public static MemorySegment cuEventRecord$address() {
        return cuEventRecord.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventRecord(CUevent hEvent, CUstream hStream)
     * }
     */
    public static int cuEventRecord(MemorySegment hEvent, MemorySegment hStream) {
        var mh$ = cuEventRecord.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuEventRecord", hEvent, hStream);
            }
            return (int) mh$.invokeExact(hEvent, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuEventSynchronize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventSynchronize(CUevent hEvent)
     * }
     */
    public static FunctionDescriptor cuEventSynchronize$descriptor() {
        return cuEventSynchronize.DESC;
    }

    /** Downcall method handle for {@code cuEventSynchronize}. */
    public static MethodHandle cuEventSynchronize$handle() {
        return cuEventSynchronize.HANDLE;
    }

    /** Address of {@code cuEventSynchronize}. */
    public static MemorySegment cuEventSynchronize$address() {
        return cuEventSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventSynchronize(CUevent hEvent)
     * }
     */
    public static int cuEventSynchronize(MemorySegment hEvent) {
        var mh$ = cuEventSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuEventSynchronize", hEvent);
            }
            return (int) mh$.invokeExact(hEvent);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventElapsedTime_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuEventElapsedTime_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventElapsedTime_v2(float *pMilliseconds, CUevent hStart, CUevent hEnd)
     * }
     */
    public static FunctionDescriptor cuEventElapsedTime_v2$descriptor() {
        return cuEventElapsedTime_v2.DESC;
    }

    /** Downcall method handle for {@code cuEventElapsedTime_v2}. */
    public static MethodHandle cuEventElapsedTime_v2$handle() {
        return cuEventElapsedTime_v2.HANDLE;
    }

    /** Address of {@code cuEventElapsedTime_v2}. */
    public static MemorySegment cuEventElapsedTime_v2$address() {
        return cuEventElapsedTime_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventElapsedTime_v2(float *pMilliseconds, CUevent hStart, CUevent hEnd)
     * }
     */
    public static int cuEventElapsedTime_v2(MemorySegment pMilliseconds, MemorySegment hStart, MemorySegment hEnd) {
        var mh$ = cuEventElapsedTime_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuEventElapsedTime_v2", pMilliseconds, hStart, hEnd);
            }
            return (int) mh$.invokeExact(pMilliseconds, hStart, hEnd);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventDestroy_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuEventDestroy_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventDestroy_v2(CUevent hEvent)
     * }
     */
    public static FunctionDescriptor cuEventDestroy_v2$descriptor() {
        return cuEventDestroy_v2.DESC;
    }

    /** Downcall method handle for {@code cuEventDestroy_v2}. */
    public static MethodHandle cuEventDestroy_v2$handle() {
        return cuEventDestroy_v2.HANDLE;
    }

    /** Address of {@code cuEventDestroy_v2}. */
    public static MemorySegment cuEventDestroy_v2$address() {
        return cuEventDestroy_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventDestroy_v2(CUevent hEvent)
     * }
     */
    public static int cuEventDestroy_v2(MemorySegment hEvent) {
        var mh$ = cuEventDestroy_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuEventDestroy_v2", hEvent);
            }
            return (int) mh$.invokeExact(hEvent);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleLoadData {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuModuleLoadData");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleLoadData(CUmodule *module, const void *image)
     * }
     */
    public static FunctionDescriptor cuModuleLoadData$descriptor() {
        return cuModuleLoadData.DESC;
    }

    /** Downcall method handle for {@code cuModuleLoadData}. */
    public static MethodHandle cuModuleLoadData$handle() {
        return cuModuleLoadData.HANDLE;
    }

    /** Address of {@code cuModuleLoadData}. */
    public static MemorySegment cuModuleLoadData$address() {
        return cuModuleLoadData.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleLoadData(CUmodule *module, const void *image)
     * }
     */
    public static int cuModuleLoadData(MemorySegment module, MemorySegment image) {
        var mh$ = cuModuleLoadData.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuModuleLoadData", module, image);
            }
            return (int) mh$.invokeExact(module, image);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleUnload {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuModuleUnload");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static FunctionDescriptor cuModuleUnload$descriptor() {
        return cuModuleUnload.DESC;
    }

    /** Downcall method handle for {@code cuModuleUnload}. */
    public static MethodHandle cuModuleUnload$handle() {
        return cuModuleUnload.HANDLE;
    }

    /** Address of {@code cuModuleUnload}. */
    public static MemorySegment cuModuleUnload$address() {
        return cuModuleUnload.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static int cuModuleUnload(MemorySegment hmod) {
        var mh$ = cuModuleUnload.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuModuleUnload", hmod);
            }
            return (int) mh$.invokeExact(hmod);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleGetFunction {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuModuleGetFunction");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
     * }
     */
    public static FunctionDescriptor cuModuleGetFunction$descriptor() {
        return cuModuleGetFunction.DESC;
    }

    /** Downcall method handle for {@code cuModuleGetFunction}. */
    public static MethodHandle cuModuleGetFunction$handle() {
        return cuModuleGetFunction.HANDLE;
    }

    /** Address of {@code cuModuleGetFunction}. */
    public static MemorySegment cuModuleGetFunction$address() {
        return cuModuleGetFunction.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
     * }
     */
    public static int cuModuleGetFunction(MemorySegment hfunc, MemorySegment hmod, MemorySegment name) {
        var mh$ = cuModuleGetFunction.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuModuleGetFunction", hfunc, hmod, name);
            }
            return (int) mh$.invokeExact(hfunc, hmod, name);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuFuncSetAttribute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuFuncSetAttribute");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuFuncSetAttribute(CUfunction hfunc, CUfunction_attribute attrib, int value)
     * }
     */
    public static FunctionDescriptor cuFuncSetAttribute$descriptor() {
        return cuFuncSetAttribute.DESC;
    }

    /** Downcall method handle for {@code cuFuncSetAttribute}. */
    public static MethodHandle cuFuncSetAttribute$handle() {
        return cuFuncSetAttribute.HANDLE;
    }

    /** Address of {@code cuFuncSetAttribute}. */
    public static MemorySegment cuFuncSetAttribute$address() {
        return cuFuncSetAttribute.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuFuncSetAttribute(CUfunction hfunc, CUfunction_attribute attrib, int value)
     * }
     */
    public static int cuFuncSetAttribute(MemorySegment hfunc, int attrib, int value) {
        var mh$ = cuFuncSetAttribute.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuFuncSetAttribute", hfunc, attrib, value);
            }
            return (int) mh$.invokeExact(hfunc, attrib, value);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuLaunchKernel {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrThrow("cuLaunchKernel");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
     * }
     */
    public static FunctionDescriptor cuLaunchKernel$descriptor() {
        return cuLaunchKernel.DESC;
    }

    /** Downcall method handle for {@code cuLaunchKernel}. */
    public static MethodHandle cuLaunchKernel$handle() {
        return cuLaunchKernel.HANDLE;
    }

    /** Address of {@code cuLaunchKernel}. */
    public static MemorySegment cuLaunchKernel$address() {
        return cuLaunchKernel.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
     * }
     */
    public static int cuLaunchKernel(MemorySegment f, int gridDimX, int gridDimY, int gridDimZ, int blockDimX, int blockDimY, int blockDimZ, int sharedMemBytes, MemorySegment hStream, MemorySegment kernelParams, MemorySegment extra) {
        var mh$ = cuLaunchKernel.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuLaunchKernel", f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes, hStream, kernelParams, extra);
            }
            return (int) mh$.invokeExact(f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes, hStream, kernelParams, extra);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int CUDA_SUCCESS = (int) 0L;

    /** {@code CUDA_SUCCESS = 0} ({@code CUresult}) */
    public static int CUDA_SUCCESS() {
        return CUDA_SUCCESS;
    }

    private static final int CUDA_ERROR_INVALID_VALUE = (int) 1L;

    /** {@code CUDA_ERROR_INVALID_VALUE = 1} ({@code CUresult}) */
    public static int CUDA_ERROR_INVALID_VALUE() {
        return CUDA_ERROR_INVALID_VALUE;
    }

    private static final int CUDA_ERROR_OUT_OF_MEMORY = (int) 2L;

    /** {@code CUDA_ERROR_OUT_OF_MEMORY = 2} ({@code CUresult}) */
    public static int CUDA_ERROR_OUT_OF_MEMORY() {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }

    private static final int CUDA_ERROR_NOT_INITIALIZED = (int) 3L;

    /** {@code CUDA_ERROR_NOT_INITIALIZED = 3} ({@code CUresult}) */
    public static int CUDA_ERROR_NOT_INITIALIZED() {
        return CUDA_ERROR_NOT_INITIALIZED;
    }

    private static final int CUDA_ERROR_DEINITIALIZED = (int) 4L;

    /** {@code CUDA_ERROR_DEINITIALIZED = 4} ({@code CUresult}) */
    public static int CUDA_ERROR_DEINITIALIZED() {
        return CUDA_ERROR_DEINITIALIZED;
    }

    private static final int CUDA_ERROR_STUB_LIBRARY = (int) 34L;

    /** {@code CUDA_ERROR_STUB_LIBRARY = 34} ({@code CUresult}) */
    public static int CUDA_ERROR_STUB_LIBRARY() {
        return CUDA_ERROR_STUB_LIBRARY;
    }

    private static final int CUDA_ERROR_NO_DEVICE = (int) 100L;

    /** {@code CUDA_ERROR_NO_DEVICE = 100} ({@code CUresult}) */
    public static int CUDA_ERROR_NO_DEVICE() {
        return CUDA_ERROR_NO_DEVICE;
    }

    private static final int CUDA_ERROR_INVALID_DEVICE = (int) 101L;

    /** {@code CUDA_ERROR_INVALID_DEVICE = 101} ({@code CUresult}) */
    public static int CUDA_ERROR_INVALID_DEVICE() {
        return CUDA_ERROR_INVALID_DEVICE;
    }

    private static final int CUDA_ERROR_INVALID_IMAGE = (int) 200L;

    /** {@code CUDA_ERROR_INVALID_IMAGE = 200} ({@code CUresult}) */
    public static int CUDA_ERROR_INVALID_IMAGE() {
        return CUDA_ERROR_INVALID_IMAGE;
    }

    private static final int CUDA_ERROR_INVALID_CONTEXT = (int) 201L;

    /** {@code CUDA_ERROR_INVALID_CONTEXT = 201} ({@code CUresult}) */
    public static int CUDA_ERROR_INVALID_CONTEXT() {
        return CUDA_ERROR_INVALID_CONTEXT;
    }

    private static final int CUDA_ERROR_INVALID_PTX = (int) 218L;

    /** {@code CUDA_ERROR_INVALID_PTX = 218} ({@code CUresult}) */
    public static int CUDA_ERROR_INVALID_PTX() {
        return CUDA_ERROR_INVALID_PTX;
    }

    private static final int CUDA_ERROR_UNSUPPORTED_PTX_VERSION = (int) 222L;

    /** {@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION = 222} ({@code CUresult}) */
    public static int CUDA_ERROR_UNSUPPORTED_PTX_VERSION() {
        return CUDA_ERROR_UNSUPPORTED_PTX_VERSION;
    }

    private static final int CUDA_ERROR_INVALID_HANDLE = (int) 400L;

    /** {@code CUDA_ERROR_INVALID_HANDLE = 400} ({@code CUresult}) */
    public static int CUDA_ERROR_INVALID_HANDLE() {
        return CUDA_ERROR_INVALID_HANDLE;
    }

    private static final int CUDA_ERROR_NOT_FOUND = (int) 500L;

    /** {@code CUDA_ERROR_NOT_FOUND = 500} ({@code CUresult}) */
    public static int CUDA_ERROR_NOT_FOUND() {
        return CUDA_ERROR_NOT_FOUND;
    }

    private static final int CUDA_ERROR_NOT_READY = (int) 600L;

    /** {@code CUDA_ERROR_NOT_READY = 600} ({@code CUresult}) */
    public static int CUDA_ERROR_NOT_READY() {
        return CUDA_ERROR_NOT_READY;
    }

    private static final int CUDA_ERROR_ILLEGAL_ADDRESS = (int) 700L;

    /** {@code CUDA_ERROR_ILLEGAL_ADDRESS = 700} ({@code CUresult}) */
    public static int CUDA_ERROR_ILLEGAL_ADDRESS() {
        return CUDA_ERROR_ILLEGAL_ADDRESS;
    }

    private static final int CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = (int) 701L;

    /** {@code CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701} ({@code CUresult}) */
    public static int CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES() {
        return CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES;
    }

    private static final int CUDA_ERROR_LAUNCH_TIMEOUT = (int) 702L;

    /** {@code CUDA_ERROR_LAUNCH_TIMEOUT = 702} ({@code CUresult}) */
    public static int CUDA_ERROR_LAUNCH_TIMEOUT() {
        return CUDA_ERROR_LAUNCH_TIMEOUT;
    }

    private static final int CUDA_ERROR_LAUNCH_FAILED = (int) 719L;

    /** {@code CUDA_ERROR_LAUNCH_FAILED = 719} ({@code CUresult}) */
    public static int CUDA_ERROR_LAUNCH_FAILED() {
        return CUDA_ERROR_LAUNCH_FAILED;
    }

    private static final int CUDA_ERROR_NOT_SUPPORTED = (int) 801L;

    /** {@code CUDA_ERROR_NOT_SUPPORTED = 801} ({@code CUresult}) */
    public static int CUDA_ERROR_NOT_SUPPORTED() {
        return CUDA_ERROR_NOT_SUPPORTED;
    }

    private static final int CUDA_ERROR_SYSTEM_DRIVER_MISMATCH = (int) 803L;

    /** {@code CUDA_ERROR_SYSTEM_DRIVER_MISMATCH = 803} ({@code CUresult}) */
    public static int CUDA_ERROR_SYSTEM_DRIVER_MISMATCH() {
        return CUDA_ERROR_SYSTEM_DRIVER_MISMATCH;
    }

    private static final int CUDA_ERROR_UNKNOWN = (int) 999L;

    /** {@code CUDA_ERROR_UNKNOWN = 999} ({@code CUresult}) */
    public static int CUDA_ERROR_UNKNOWN() {
        return CUDA_ERROR_UNKNOWN;
    }

    private static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = (int) 16L;

    /** {@code CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16} ({@code CUdevice_attribute}) */
    public static int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT() {
        return CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
    }

    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = (int) 75L;

    /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75} ({@code CUdevice_attribute}) */
    public static int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR() {
        return CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
    }

    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = (int) 76L;

    /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76} ({@code CUdevice_attribute}) */
    public static int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR() {
        return CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
    }

    private static final int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = (int) 97L;

    /** {@code CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97} ({@code CUdevice_attribute}) */
    public static int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN() {
        return CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN;
    }

    private static final int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = (int) 8L;

    /** {@code CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8} ({@code CUfunction_attribute}) */
    public static int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES() {
        return CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES;
    }

    private static final int CU_STREAM_DEFAULT = (int) 0L;

    /** {@code CU_STREAM_DEFAULT = 0} ({@code CUstream_flags}) */
    public static int CU_STREAM_DEFAULT() {
        return CU_STREAM_DEFAULT;
    }

    private static final int CU_STREAM_NON_BLOCKING = (int) 1L;

    /** {@code CU_STREAM_NON_BLOCKING = 1} ({@code CUstream_flags}) */
    public static int CU_STREAM_NON_BLOCKING() {
        return CU_STREAM_NON_BLOCKING;
    }

    private static final int CU_EVENT_DEFAULT = (int) 0L;

    /** {@code CU_EVENT_DEFAULT = 0} ({@code CUevent_flags}) */
    public static int CU_EVENT_DEFAULT() {
        return CU_EVENT_DEFAULT;
    }

    private static final int CU_EVENT_BLOCKING_SYNC = (int) 1L;

    /** {@code CU_EVENT_BLOCKING_SYNC = 1} ({@code CUevent_flags}) */
    public static int CU_EVENT_BLOCKING_SYNC() {
        return CU_EVENT_BLOCKING_SYNC;
    }

    private static final int CU_EVENT_DISABLE_TIMING = (int) 2L;

    /** {@code CU_EVENT_DISABLE_TIMING = 2} ({@code CUevent_flags}) */
    public static int CU_EVENT_DISABLE_TIMING() {
        return CU_EVENT_DISABLE_TIMING;
    }
}
