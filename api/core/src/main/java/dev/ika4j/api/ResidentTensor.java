/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

/**
 * A tensor held in a backend's own memory (device memory for the GPU backend, a heap array for the
 * CPU backends), so that data uploaded once can be used by many calls. Owned by the caller: close
 * it to free the memory. Belongs to the backend that made it.
 */
public interface ResidentTensor extends AutoCloseable {
    int batch();
    int heads();
    int seq();
    int dim();

    /** The element type; resident memory is float32 on every backend today. */
    default DType dtype() {
        return DType.FLOAT32;
    }

    /** Name of the backend that owns this tensor. */
    String backend();

    default String shapeString() {
        return "[" + batch() + ", " + heads() + ", " + seq() + ", " + dim() + "]";
    }

    @Override
    void close();
}
