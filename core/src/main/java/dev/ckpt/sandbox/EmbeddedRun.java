package dev.ckpt.sandbox;

import java.time.Duration;

/**
 * Runs code that came inside a checkpoint (an embedded rollback) on a thread of its own with a
 * wall-clock budget: when the budget is spent the thread is interrupted and abandoned (a daemon,
 * it cannot keep the JVM alive) and the run fails, so an endless loop costs the budget and
 * never the lock or the file. Whatever the code throws, Errors included, comes back as the
 * failure of that rollback, its message stripped of line breaks so it cannot fake build output.
 */
public final class EmbeddedRun {
    /** What the embedded code does, on the thread we own. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** The embedded code did not finish within its budget. */
    public static final class OverBudget extends RuntimeException {
        OverBudget(Duration budget) {
            super("did not finish within " + budget.toSeconds() + " s (embeddedTimeout); abandoned");
        }
    }

    /**
     * The embedded code threw. The message (the throwable's class and its one-line, bounded
     * message) is taken on the embedded thread, within the budget: an embedded exception class
     * runs its own code in getMessage. Only ckpt's own refusal is kept as the cause.
     */
    public static final class Failed extends RuntimeException {
        Failed(String description, UntrustedRollbackException refusal) {
            super(description, refusal);
        }
    }

    private EmbeddedRun() {
    }

    public static void run(String name, Duration budget, Body body) {
        Failed[] failed = new Failed[1];
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failed[0] = new Failed(describe(t), t instanceof UntrustedRollbackException refusal ? refusal : null);
            }
        }, "ckpt-embedded-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(budget.toMillis());
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new OverBudget(budget);
        }
        if (thread.isAlive()) {
            thread.interrupt();
            throw new OverBudget(budget);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private static String describe(Throwable thrown) {
        String message;
        try {
            message = thrown.getMessage();
        } catch (Throwable whileDescribing) {
            message = "(its message could not be read: " + whileDescribing.getClass().getName() + ")";
        }
        return thrown.getClass().getName() + ": " + oneLine(message);
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.replaceAll("\\p{Cntrl}", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
