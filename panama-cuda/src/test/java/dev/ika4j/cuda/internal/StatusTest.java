/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import dev.ika4j.cuda.error.CudaException;
import dev.ika4j.cuda.bindings.cublas_h;
import dev.ika4j.cuda.bindings.cuda_h;
import dev.ika4j.cuda.bindings.curand_h;
import dev.ika4j.cuda.bindings.nvrtc_h;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Status codes become exceptions that name the function, the status and its code. Where the
 * libraries are loaded their own texts follow; elsewhere names come from our headers, so the
 * exact expectations below branch on whether a driver was bound in this JVM.
 */
class StatusTest {

    @Test
    void messageNamesFunctionStatusCodeAndText() {
        CudaException e = new CudaException("cuMemAlloc_v2", 2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory");
        assertEquals("cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory", e.getMessage());
        assertEquals("cuMemAlloc_v2", e.function());
        assertEquals(2, e.code());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.codeName());
        assertTrue(e.isOutOfMemory());
        assertEquals("", e.log());
    }

    @Test
    void successIsSilent() {
        assertDoesNotThrow(() -> Status.cu("cuInit", 0));
        assertDoesNotThrow(() -> Status.cublas("cublasCreate_v2", 0));
        assertDoesNotThrow(() -> Status.curand("curandCreateGenerator", 0));
        assertDoesNotThrow(() -> Status.nvrtc("nvrtcVersion", 0));
    }

    @Test
    void driverErrorsAreNamed() {
        CudaException e = assertThrows(CudaException.class, () -> Status.cu("cuInit", cuda_h.CUDA_ERROR_NO_DEVICE()));
        if (cuda_h.isBound()) { // then the driver's own text follows
            assertTrue(e.getMessage().matches("cuInit: CUDA_ERROR_NO_DEVICE \\(100\\): \\S.*"), e.getMessage());
        } else {
            assertEquals("cuInit: CUDA_ERROR_NO_DEVICE (100)", e.getMessage());
        }
        assertFalse(e.isOutOfMemory());
        CudaException oom = Status.cuError("cuMemAlloc_v2", 2, "(requested 1024 bytes)");
        assertTrue(oom.getMessage().startsWith("cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (2): "), oom.getMessage());
        assertTrue(oom.getMessage().endsWith("(requested 1024 bytes)"), oom.getMessage());
        assertTrue(oom.isOutOfMemory());
    }

    @Test
    void unknownCodesAreStillReportedWithTheirNumber() {
        assertEquals("cuFoo: unknown CUresult (123456)", Status.cuError("cuFoo", 123456).getMessage());
        assertEquals("curandFoo: unknown curandStatus_t (77)", Status.curandError("curandFoo", 77).getMessage());
        // where cuBLAS and NVRTC are loaded they may name unknown codes themselves
        String cublas = Status.cublasError("cublasFoo", 4242).getMessage();
        String nvrtc = Status.nvrtcError("nvrtcFoo", 999, null).getMessage();
        if (cublas_h.isBound()) {
            assertTrue(cublas.startsWith("cublasFoo: ") && cublas.contains(" (4242)"), cublas);
        } else {
            assertEquals("cublasFoo: unknown cublasStatus_t (4242)", cublas);
        }
        if (nvrtc_h.isBound()) {
            assertTrue(nvrtc.startsWith("nvrtcFoo: ") && nvrtc.contains(" (999)"), nvrtc);
        } else {
            assertEquals("nvrtcFoo: unknown nvrtcResult (999)", nvrtc);
        }
    }

    @Test
    void cublasErrorsAreNamed() {
        CudaException e = Status.cublasError("cublasSgemmStridedBatched", cublas_h.CUBLAS_STATUS_INVALID_VALUE());
        assertTrue(e.getMessage().startsWith("cublasSgemmStridedBatched: CUBLAS_STATUS_INVALID_VALUE (7)"), e.getMessage());
        assertTrue(Status.cublasError("cublasCreate_v2", cublas_h.CUBLAS_STATUS_ALLOC_FAILED()).isOutOfMemory());
    }

    @Test
    void curandErrorsCarryCurandsOwnDescription() {
        assertEquals("curandGenerateNormal: CURAND_STATUS_LENGTH_NOT_MULTIPLE (105): length requested is not a multiple of dimension",
                Status.curandError("curandGenerateNormal", curand_h.CURAND_STATUS_LENGTH_NOT_MULTIPLE()).getMessage());
        // every failure status in our header has a description
        for (Method method : curand_h.class.getMethods()) {
            if (method.getName().startsWith("CURAND_STATUS_") && !method.getName().equals("CURAND_STATUS_SUCCESS")) {
                int code = assertDoesNotThrow(() -> (int) method.invoke(null));
                String message = Status.curandError("f", code).getMessage();
                assertTrue(message.startsWith("f: " + method.getName() + " (" + code + "): ") && message.length() > 30, message);
            }
        }
    }

    @Test
    void compileErrorsCarryTheLog() {
        String log = "kernel.cu(3): error: identifier \"x\" is undefined\n1 error detected in the compilation of \"kernel.cu\".";
        CudaException e = Status.nvrtcError("nvrtcCompileProgram", nvrtc_h.NVRTC_ERROR_COMPILATION(), log);
        assertEquals("nvrtcCompileProgram: NVRTC_ERROR_COMPILATION (6)\n" + log, e.getMessage());
        assertEquals(log, e.log());
        assertEquals("NVRTC_ERROR_COMPILATION", e.codeName());
    }

    @Test
    void unavailableCarriesItsReason() {
        CudaUnavailableException e = new CudaUnavailableException("libcuda.so.1 (CUDA driver) not found in [the loader path]: x");
        assertEquals(e.getMessage(), e.reason());
    }
}
