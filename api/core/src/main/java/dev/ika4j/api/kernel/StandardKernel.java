package dev.ika4j.api.kernel;

/** Standard scaled dot-product attention: logit_ij = scale * q_i . k_j (soft-capped, masked). */
public record StandardKernel() implements AttentionKernel {
    public static final StandardKernel INSTANCE = new StandardKernel();

    @Override
    public String name() {
        return "standard";
    }
}
