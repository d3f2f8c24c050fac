package dev.ckpt.torch;

/** How {@link TorchCheckpoint#write} lays out the new archive. */
public enum RewriteMode {
    /**
     * Take over the source's bytes up to the end of the storages kept unchanged (copied at equal
     * offsets in the kernel, cloned on reflink file systems) and write only what follows; the old
     * data.pkl stays behind as dead bytes, at most 1 MiB or an eighth of the file.
     */
    CLONE_UNCHANGED,
    /** Write every record anew, in torch's order, with no dead bytes. */
    COMPACT
}
