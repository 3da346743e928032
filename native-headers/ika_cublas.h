/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
/*
 * The subset of cuBLAS (v2 API) that ika4j calls, with the exported symbol names
 * (cublas_v2.h maps cublasCreate to cublasCreate_v2 and so on with macros).
 * Source of truth for dev.ika4j.cuda.bindings.cublas_h; see ika_cuda.h for how it is checked.
 * Define IKA_WITH_VENDOR_HEADERS after including cublas_v2.h to check against it.
 */
#ifndef IKA_CUBLAS_H
#define IKA_CUBLAS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cublasContext *cublasHandle_t;
typedef struct CUstream_st *cudaStream_t;

#ifndef IKA_WITH_VENDOR_HEADERS

typedef enum {
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_ALLOC_FAILED = 3,
    CUBLAS_STATUS_INVALID_VALUE = 7,
    CUBLAS_STATUS_ARCH_MISMATCH = 8,
    CUBLAS_STATUS_MAPPING_ERROR = 11,
    CUBLAS_STATUS_EXECUTION_FAILED = 13,
    CUBLAS_STATUS_INTERNAL_ERROR = 14,
    CUBLAS_STATUS_NOT_SUPPORTED = 15,
    CUBLAS_STATUS_LICENSE_ERROR = 16
} cublasStatus_t;

typedef enum {
    CUBLAS_OP_N = 0,
    CUBLAS_OP_T = 1,
    CUBLAS_OP_C = 2
} cublasOperation_t;

typedef enum {
    CUBLAS_DEFAULT_MATH = 0,
    CUBLAS_PEDANTIC_MATH = 2,
    CUBLAS_TF32_TENSOR_OP_MATH = 3
} cublasMath_t;

#endif /* IKA_WITH_VENDOR_HEADERS */

cublasStatus_t cublasCreate_v2(cublasHandle_t *handle);
cublasStatus_t cublasDestroy_v2(cublasHandle_t handle);
cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version);
cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId);
cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode);
const char *cublasGetStatusName(cublasStatus_t status);
const char *cublasGetStatusString(cublasStatus_t status);

/* Column-major C[i] = alpha * op(A[i]) * op(B[i]) + beta * C[i] for i < batchCount, the
   matrices of batch i starting stride elements after those of batch i - 1. alpha and beta are
   host pointers (the handle stays in CUBLAS_POINTER_MODE_HOST). */
cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle,
                                         cublasOperation_t transa, cublasOperation_t transb,
                                         int m, int n, int k,
                                         const float *alpha,
                                         const float *A, int lda, long long int strideA,
                                         const float *B, int ldb, long long int strideB,
                                         const float *beta,
                                         float *C, int ldc, long long int strideC,
                                         int batchCount);

#ifdef __cplusplus
}
#endif

#endif /* IKA_CUBLAS_H */
