/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import dev.ika4j.cuda.error.CudaException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ika4j.cuda.bindings.cuda_h.cuMemAlloc_v2;
import static dev.ika4j.cuda.bindings.cuda_h.cuMemFree_v2;
import static dev.ika4j.cuda.bindings.cuda_h.cuMemcpyDtoDAsync_v2;
import static dev.ika4j.cuda.bindings.cuda_h.cuMemcpyDtoHAsync_v2;
import static dev.ika4j.cuda.bindings.cuda_h.cuMemcpyHtoDAsync_v2;
import static dev.ika4j.cuda.bindings.cuda_h.cuMemsetD8Async;
import static dev.ika4j.cuda.bindings.cuda_h.cuStreamSynchronize;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Device memory from {@code cuMemAlloc_v2} (256-byte aligned), freed on {@link #close()}.
 * A zero-byte buffer allocates nothing and has address 0.
 *
 * <p>Copies are ordered on the given stream. Heap segments cannot be handed to native code, so
 * they are staged through off-heap memory in bounded chunks; that memory is pageable, for which
 * the driver copies the source before {@code cuMemcpyHtoDAsync} returns, so every
 * {@code copyFromHost} leaves {@code src} free for reuse when it returns. Thread-safe for
 * concurrent copies; closing while another thread uses the buffer is the caller's error.
 */
public final class DeviceBuffer implements AutoCloseable {

    /** Staging chunk for heap segments: large enough to keep copies efficient, small enough to bound memory. */
    static final long STAGING_BYTES = 16L << 20;

    private final CudaContext context;
    private final long address;
    private final long bytes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DeviceBuffer(CudaContext context, long address, long bytes) {
        this.context = context;
        this.address = address;
        this.bytes = bytes;
    }

    /**
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws CudaException if the device is out of memory ({@link CudaException#isOutOfMemory()})
     */
    public static DeviceBuffer allocate(CudaContext context, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        if (bytes == 0) {
            return new DeviceBuffer(context, 0, 0);
        }
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            int status = cuMemAlloc_v2(out, bytes);
            if (status != 0) {
                throw Status.cuError("cuMemAlloc_v2", status, "(requested " + bytes + " bytes)");
            }
            return new DeviceBuffer(context, out.get(JAVA_LONG, 0), bytes);
        }
    }

    /** The device address ({@code CUdeviceptr}). */
    public long address() {
        ensureOpen();
        return address;
    }

    public long bytes() {
        return bytes;
    }

    /** Copies all of {@code src} to {@code [dstOffsetBytes, dstOffsetBytes + src.byteSize())}. */
    public void copyFromHost(MemorySegment src, long dstOffsetBytes, CudaStream stream) {
        checkRange("dstOffsetBytes", dstOffsetBytes, src.byteSize());
        if (src.byteSize() == 0) {
            return;
        }
        context.makeCurrent();
        MemorySegment handle = stream.handle();
        if (src.isNative()) {
            Status.cu("cuMemcpyHtoDAsync_v2",
                    cuMemcpyHtoDAsync_v2(address + dstOffsetBytes, src, src.byteSize(), handle));
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(Math.min(STAGING_BYTES, src.byteSize()), 16);
            for (long done = 0; done < src.byteSize(); done += staging.byteSize()) {
                long n = Math.min(staging.byteSize(), src.byteSize() - done);
                MemorySegment.copy(src, done, staging, 0, n);
                Status.cu("cuMemcpyHtoDAsync_v2",
                        cuMemcpyHtoDAsync_v2(address + dstOffsetBytes + done, staging, n, handle));
            }
        }
    }

    /** Copies {@code dst.byteSize()} bytes from {@code srcOffsetBytes} into {@code dst}; returns when they are there. */
    public void copyToHost(long srcOffsetBytes, MemorySegment dst, CudaStream stream) {
        checkRange("srcOffsetBytes", srcOffsetBytes, dst.byteSize());
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only");
        }
        if (dst.byteSize() == 0) {
            return;
        }
        context.makeCurrent();
        MemorySegment handle = stream.handle();
        if (dst.isNative()) {
            Status.cu("cuMemcpyDtoHAsync_v2",
                    cuMemcpyDtoHAsync_v2(dst, address + srcOffsetBytes, dst.byteSize(), handle));
            Status.cu("cuStreamSynchronize", cuStreamSynchronize(handle));
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(Math.min(STAGING_BYTES, dst.byteSize()), 16);
            for (long done = 0; done < dst.byteSize(); done += staging.byteSize()) {
                long n = Math.min(staging.byteSize(), dst.byteSize() - done);
                Status.cu("cuMemcpyDtoHAsync_v2",
                        cuMemcpyDtoHAsync_v2(staging, address + srcOffsetBytes + done, n, handle));
                Status.cu("cuStreamSynchronize", cuStreamSynchronize(handle));
                MemorySegment.copy(staging, 0, dst, done, n);
            }
        }
    }

    /** Copies {@code bytes} bytes from {@code src} at {@code srcOff} to this buffer at {@code dstOff}, on {@code stream}. */
    public void copyFromDevice(DeviceBuffer src, long srcOff, long dstOff, long bytes, CudaStream stream) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        src.checkRange("srcOff", srcOff, bytes);
        checkRange("dstOff", dstOff, bytes);
        if (bytes == 0) {
            return;
        }
        context.makeCurrent();
        Status.cu("cuMemcpyDtoDAsync_v2",
                cuMemcpyDtoDAsync_v2(address + dstOff, src.address() + srcOff, bytes, stream.handle()));
    }

    /** Sets every byte to 0, on {@code stream} (so +0.0f for floats). */
    public void zero(CudaStream stream) {
        ensureOpen();
        if (bytes == 0) {
            return;
        }
        context.makeCurrent();
        Status.cu("cuMemsetD8Async", cuMemsetD8Async(address, (byte) 0, bytes, stream.handle()));
    }

    /** Frees the memory, once. {@code cuMemFree} synchronises with the device first, so work still using it completes. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && bytes != 0) {
            context.makeCurrent();
            Status.cu("cuMemFree_v2", cuMemFree_v2(address));
        }
    }

    private void checkRange(String name, long offset, long length) {
        ensureOpen();
        if (offset < 0 || length < 0 || offset > bytes - length) {
            throw new IndexOutOfBoundsException(name + " " + offset + " + " + length
                    + " bytes is outside the device buffer of " + bytes + " bytes");
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("device buffer is closed");
        }
    }

    @Override
    public String toString() {
        return "DeviceBuffer[" + bytes + " bytes at 0x" + Long.toHexString(address) + "]";
    }
}
