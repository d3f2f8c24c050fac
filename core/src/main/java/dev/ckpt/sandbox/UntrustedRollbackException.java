package dev.ckpt.sandbox;

import java.util.List;

/**
 * The rollback code embedded in a checkpoint was refused: its bytecode reaches outside the
 * checkpoint API and plain {@code java.lang}/{@code java.util} (I/O, reflection, processes,
 * threads, class loading...). Nothing of it was loaded or run. Each refusal names the embedded
 * class, the member and the forbidden reference.
 */
public class UntrustedRollbackException extends SecurityException {
    private static final int SHOWN = 20;

    private final String migrationClass;
    private final List<String> refusals;

    public UntrustedRollbackException(String migrationClass, List<String> refusals) {
        super(message(migrationClass, refusals));
        this.migrationClass = migrationClass;
        this.refusals = List.copyOf(refusals);
    }

    /** The binary name of the embedded migration class. */
    public String migrationClass() {
        return migrationClass;
    }

    /** One line per forbidden reference: {@code class C, member m: reference (why)}. */
    public List<String> refusals() {
        return refusals;
    }

    private static String message(String migrationClass, List<String> refusals) {
        StringBuilder text = new StringBuilder("the rollback code embedded in the checkpoint for ")
                .append(migrationClass)
                .append(" was refused (nothing of it was loaded): it may only use the checkpoint API and plain"
                        + " java.lang/java.util:");
        refusals.stream().limit(SHOWN).forEach(refusal -> text.append("\n  - ").append(refusal));
        if (refusals.size() > SHOWN) {
            text.append("\n  - ... and ").append(refusals.size() - SHOWN).append(" more");
        }
        return text.append("\nIf you trust where this checkpoint file comes from, trust its embedded rollbacks"
                + " explicitly (MigratorOptions.withTrustEmbeddedRollbacks(true)); they then run with the full"
                + " rights of this JVM.").toString();
    }
}
