/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.ResidentTensor;
import dev.ika4j.cuda.internal.DeviceBuffer;

/**
 * A tensor in device memory: contiguous [batch, heads, seq, dim] float32 in one buffer. Closing it
 * frees the buffer; closing its backend frees every resident tensor still open.
 */
public final class CudaResident implements ResidentTensor {
    private final CudaBackend owner;
    private final DeviceBuffer buffer;
    private final int batch, heads, seq, dim;
    private volatile boolean closed;

    CudaResident(CudaBackend owner, DeviceBuffer buffer, int batch, int heads, int seq, int dim) {
        this.owner = owner;
        this.buffer = buffer;
        this.batch = batch;
        this.heads = heads;
        this.seq = seq;
        this.dim = dim;
    }

    @Override public int batch() { return batch; }
    @Override public int heads() { return heads; }
    @Override public int seq() { return seq; }
    @Override public int dim() { return dim; }
    @Override public String backend() { return CudaBackend.NAME; }

    long elements() {
        return (long) batch * heads * seq * dim;
    }

    CudaBackend owner() {
        return owner;
    }

    /** The device buffer; fails once closed so a freed pointer never reaches a kernel. */
    DeviceBuffer buffer() {
        if (closed) throw new IllegalStateException("resident tensor " + shapeString() + " of backend 'cuda' is closed");
        return buffer;
    }

    boolean isClosed() {
        return closed;
    }

    /** Called by the owner with its lock held and the context current. */
    void free() {
        closed = true;
        buffer.close();
    }

    @Override
    public void close() {
        if (!closed) owner.release(this);
    }

    @Override
    public String toString() {
        return "CudaResident" + shapeString();
    }
}
