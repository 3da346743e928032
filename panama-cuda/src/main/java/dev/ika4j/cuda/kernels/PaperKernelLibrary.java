/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.kernels;

import dev.ika4j.cuda.internal.CudaContext;
import dev.ika4j.cuda.internal.CudaFunction;
import dev.ika4j.cuda.internal.CudaModule;
import java.util.List;

/**
 * The kernels of {@code paper.cu}, the per-row and per-pair stages of the paper's attention kernels
 * (norms and importances, the random-Fourier features phi, the logit transform, the energy's row
 * term, the copula's pooled means), compiled and cached like {@link KernelLibrary}'s and loaded
 * into one context the first time a paper kernel runs.
 */
public final class PaperKernelLibrary implements AutoCloseable {
    /** Every entry point of paper.cu the Java side launches. */
    public static final List<String> ENTRY_POINTS = List.of("ika_row_importance", "ika_paper_terms", "ika_phi",
            "ika_paper_logits", "ika_energy_add_rows", "ika_pool_means");

    /** ika_phi's tile: rows and samples per block, and its block shape (32 x 8 threads). */
    public static final int PHI_ROWS = 32, PHI_SAMPLES = 32, PHI_THREADS_X = 32, PHI_THREADS_Y = 8;

    private final CudaModule module;
    public final CudaFunction rowImportance;
    public final CudaFunction terms;
    public final CudaFunction phi;
    public final CudaFunction logits;
    public final CudaFunction energyAddRows;
    public final CudaFunction poolMeans;

    private PaperKernelLibrary(CudaModule module) {
        this.module = module;
        this.rowImportance = module.function("ika_row_importance");
        this.terms = module.function("ika_paper_terms");
        this.phi = module.function("ika_phi");
        this.logits = module.function("ika_paper_logits");
        this.energyAddRows = module.function("ika_energy_add_rows");
        this.poolMeans = module.function("ika_pool_means");
    }

    /** Compiles (or takes from the process-wide cache) and loads paper.cu into {@code ctx}. */
    public static PaperKernelLibrary load(CudaContext ctx) {
        CudaModule m = CudaModule.load(ctx, KernelLibrary.ptx("paper.cu", ctx.computeCapability()));
        try {
            return new PaperKernelLibrary(m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public void close() {
        module.close();
    }
}
