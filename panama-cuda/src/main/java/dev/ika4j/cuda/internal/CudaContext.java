/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import dev.ika4j.cuda.error.CudaException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ika4j.cuda.bindings.cuda_h.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static dev.ika4j.cuda.bindings.cuda_h.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static dev.ika4j.cuda.bindings.cuda_h.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN;
import static dev.ika4j.cuda.bindings.cuda_h.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
import static dev.ika4j.cuda.bindings.cuda_h.cuCtxSetCurrent;
import static dev.ika4j.cuda.bindings.cuda_h.cuDeviceGet;
import static dev.ika4j.cuda.bindings.cuda_h.cuDeviceGetAttribute;
import static dev.ika4j.cuda.bindings.cuda_h.cuDeviceGetCount;
import static dev.ika4j.cuda.bindings.cuda_h.cuDeviceGetName;
import static dev.ika4j.cuda.bindings.cuda_h.cuDevicePrimaryCtxRelease_v2;
import static dev.ika4j.cuda.bindings.cuda_h.cuDevicePrimaryCtxRetain;
import static dev.ika4j.cuda.bindings.cuda_h.cuDriverGetVersion;
import static dev.ika4j.cuda.bindings.cuda_h.cuInit;
import static dev.ika4j.cuda.bindings.cuda_h.cuMemGetInfo_v2;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A device's primary context, retained for as long as this object is open. The primary context
 * is the one the CUDA runtime (and so cuBLAS and cuRAND) uses too, and there is one per device
 * however many of these are opened.
 *
 * <p>Thread-safe. A CUDA context is current per thread: every wrapper calls {@link #makeCurrent()}
 * on entry, so any thread may use any object. Close streams, buffers, modules and handles before
 * the context: releasing the last reference destroys the context and everything in it.
 */
public final class CudaContext implements AutoCloseable {

    private final int device;
    private final MemorySegment context;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CudaContext(int device, MemorySegment context, String name) {
        this.device = device;
        this.context = context;
        this.name = name;
    }

    /**
     * Initialises the driver, retains {@code device}'s primary context and makes it current.
     *
     * @throws CudaUnavailableException if the libraries cannot be loaded
     * @throws CudaException if the driver cannot be initialised (e.g. {@code cuInit:
     *         CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected})
     * @throws IllegalArgumentException if there is no such device
     */
    public static CudaContext open(int device) {
        NativeLibraries.load();
        Status.cu("cuInit", cuInit(0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            Status.cu("cuDeviceGetCount", cuDeviceGetCount(count));
            int devices = count.get(JAVA_INT, 0);
            if (device < 0 || device >= devices) {
                throw new IllegalArgumentException("device " + device + " does not exist: this machine has "
                        + devices + " CUDA device(s)");
            }
            MemorySegment handle = arena.allocate(JAVA_INT);
            Status.cu("cuDeviceGet", cuDeviceGet(handle, device));
            int dev = handle.get(JAVA_INT, 0);
            MemorySegment nameBuffer = arena.allocate(256);
            Status.cu("cuDeviceGetName", cuDeviceGetName(nameBuffer, (int) nameBuffer.byteSize(), dev));
            MemorySegment context = arena.allocate(ADDRESS);
            Status.cu("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain(context, dev));
            CudaContext opened = new CudaContext(dev, context.get(ADDRESS, 0), nameBuffer.getString(0));
            try {
                opened.makeCurrent();
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            return opened;
        }
    }

    /** Makes this context current on the calling thread: cheap, call on every entry. */
    public void makeCurrent() {
        if (closed.get()) {
            throw new IllegalStateException("CUDA context of device " + device + " is closed");
        }
        Status.cu("cuCtxSetCurrent", cuCtxSetCurrent(context));
    }

    public String deviceName() {
        return name;
    }

    /** {@code major * 10 + minor}, e.g. 90 for an H100. */
    public int computeCapability() {
        return attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR()) * 10
                + attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR());
    }

    public int multiprocessors() {
        return attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT());
    }

    /** The most dynamic shared memory a block may opt into, in bytes (227 KiB on an H100). */
    public int maxSharedMemoryPerBlockOptin() {
        return attribute(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN());
    }

    /** {@code {free, total}} device memory in bytes, as the driver sees it now. */
    public long[] memInfo() {
        makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(JAVA_LONG);
            MemorySegment total = arena.allocate(JAVA_LONG);
            Status.cu("cuMemGetInfo_v2", cuMemGetInfo_v2(free, total));
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        }
    }

    /** The CUDA version the driver supports, e.g. {@code "13.0"}. */
    public String driverVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment version = arena.allocate(JAVA_INT);
            Status.cu("cuDriverGetVersion", cuDriverGetVersion(version));
            int v = version.get(JAVA_INT, 0);
            return v / 1000 + "." + (v % 1000) / 10;
        }
    }

    /** The device ordinal's handle ({@code CUdevice}). */
    int device() {
        return device;
    }

    /** Releases the primary context, once. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Status.cu("cuDevicePrimaryCtxRelease_v2", cuDevicePrimaryCtxRelease_v2(device));
        }
    }

    private int attribute(int attribute) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            Status.cu("cuDeviceGetAttribute", cuDeviceGetAttribute(value, attribute, device));
            return value.get(JAVA_INT, 0);
        }
    }

    @Override
    public String toString() {
        return "CudaContext[device " + device + ", " + name + "]";
    }
}
