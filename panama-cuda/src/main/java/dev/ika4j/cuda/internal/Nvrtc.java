/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import dev.ika4j.cuda.error.CudaException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

import static dev.ika4j.cuda.bindings.nvrtc_h.nvrtcCompileProgram;
import static dev.ika4j.cuda.bindings.nvrtc_h.nvrtcCreateProgram;
import static dev.ika4j.cuda.bindings.nvrtc_h.nvrtcDestroyProgram;
import static dev.ika4j.cuda.bindings.nvrtc_h.nvrtcGetPTX;
import static dev.ika4j.cuda.bindings.nvrtc_h.nvrtcGetPTXSize;
import static dev.ika4j.cuda.bindings.nvrtc_h.nvrtcGetProgramLog;
import static dev.ika4j.cuda.bindings.nvrtc_h.nvrtcGetProgramLogSize;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * CUDA C to PTX with NVRTC. Needs no context. Thread-safe: each call has its own program.
 *
 * <p>Ask for a virtual architecture ({@code --gpu-architecture=compute_90}): with a real one
 * ({@code sm_90}) NVRTC emits only a cubin and there is no PTX to return.
 */
public final class Nvrtc {

    private Nvrtc() {
    }

    /**
     * Compiles {@code source}; the result is NUL-terminated, ready for {@code cuModuleLoadData}.
     *
     * @throws CudaException with the compiler log if compilation fails
     * @throws CudaUnavailableException if the libraries cannot be loaded
     */
    public static byte[] compileToPtx(String source, String programName, String... options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(programName, "programName");
        NativeLibraries.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment programOut = arena.allocate(ADDRESS);
            Status.nvrtc("nvrtcCreateProgram", nvrtcCreateProgram(programOut, arena.allocateFrom(source),
                    arena.allocateFrom(programName), 0, MemorySegment.NULL, MemorySegment.NULL));
            MemorySegment program = programOut.get(ADDRESS, 0);
            byte[] ptx;
            try {
                ptx = compile(arena, program, programName, options);
            } catch (RuntimeException e) {
                nvrtcDestroyProgram(programOut); // the compile error is the one worth reporting
                throw e;
            }
            Status.nvrtc("nvrtcDestroyProgram", nvrtcDestroyProgram(programOut));
            return ptx;
        }
    }

    private static byte[] compile(Arena arena, MemorySegment program, String programName, String[] options) {
        MemorySegment optionArray = arena.allocate(ADDRESS, Math.max(1, options.length));
        for (int i = 0; i < options.length; i++) {
            optionArray.setAtIndex(ADDRESS, i, arena.allocateFrom(Objects.requireNonNull(options[i], "option")));
        }
        int status = nvrtcCompileProgram(program, options.length,
                options.length == 0 ? MemorySegment.NULL : optionArray);
        if (status != 0) {
            throw Status.nvrtcError("nvrtcCompileProgram", status,
                    "while compiling " + programName + ":\n" + log(arena, program));
        }
        MemorySegment size = arena.allocate(JAVA_LONG);
        Status.nvrtc("nvrtcGetPTXSize", nvrtcGetPTXSize(program, size));
        long bytes = size.get(JAVA_LONG, 0); // includes the terminating NUL
        if (bytes <= 1 || bytes > Integer.MAX_VALUE - 1) {
            throw new IllegalStateException("nvrtcGetPTXSize: implausible PTX size " + bytes + " for " + programName);
        }
        MemorySegment ptx = arena.allocate(bytes);
        Status.nvrtc("nvrtcGetPTX", nvrtcGetPTX(program, ptx));
        byte[] out = ptx.toArray(JAVA_BYTE);
        return out[out.length - 1] == 0 ? out : Arrays.copyOf(out, out.length + 1);
    }

    private static String log(Arena arena, MemorySegment program) {
        MemorySegment size = arena.allocate(JAVA_LONG);
        if (nvrtcGetProgramLogSize(program, size) != 0) {
            return "(no log)";
        }
        MemorySegment log = arena.allocate(size.get(JAVA_LONG, 0) + 1);
        if (nvrtcGetProgramLog(program, log) != 0) {
            return "(no log)";
        }
        return log.getString(0).strip();
    }
}
