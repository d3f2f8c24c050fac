package dev.ckpt.report;

import dev.ckpt.io.HumanSize;

/** The bytes of the tensors under one module prefix of a state dict. */
public record ModuleSize(String module, long bytes) {
    public String size() {
        return HumanSize.of(bytes);
    }
}
