package dev.ckpt.migration;

/** STUB until the real implementation lands. */
public class UntrustedRollbackException extends RuntimeException {
    public UntrustedRollbackException(String message) {
        super(message);
    }
}
