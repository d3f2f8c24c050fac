package dev.ckpt.it.reliability;

import java.util.ArrayList;
import java.util.List;

/** What each {@link CrashTest} run saw, and the table of counts it prints and writes. */
final class CrashTally {
    /** Where the apply was when it died, read from the directory once it was dead. */
    enum Phase {
        BEFORE_TEMP("killed before the temp file existed"),
        DURING_WRITE("killed while the temp file existed"),
        AFTER_RENAME("killed after the rename"),
        FINISHED("finished before the kill");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    /** One kill and its next run; the fields stay null/false where a failure stopped it. */
    static final class Run {
        final int number;
        final boolean aimedAtWrite;
        final long delayMillis;
        Phase phase;
        String outcome;
        int tempsLeft;
        boolean tempsCleaned;
        String failure;

        Run(int number, boolean aimedAtWrite, long delayMillis) {
            this.number = number;
            this.aimedAtWrite = aimedAtWrite;
            this.delayMillis = delayMillis;
        }

        String row() {
            return String.format("%3d  %-13s %6d ms  %-36s %-9s %d temp left%s%s", number,
                    aimedAtWrite ? "temp file + " : "start + ", delayMillis, phase == null ? "?" : phase.label,
                    outcome == null ? "?" : outcome, tempsLeft, tempsCleaned ? ", cleaned by the next run" : "",
                    failure == null ? "" : "  FAILED: " + failure.replace('\n', ' '));
        }
    }

    private final List<Run> runs = new ArrayList<>();

    void add(Run run) {
        runs.add(run);
    }

    long count(Phase phase) {
        return runs.stream().filter(r -> r.phase == phase).count();
    }

    List<String> failures() {
        return runs.stream().filter(r -> r.failure != null).map(r -> "run " + r.number + " ("
                + "kill " + r.delayMillis + " ms after " + (r.aimedAtWrite ? "the temp file appeared" : "the start")
                + "): " + r.failure).toList();
    }

    String table(String header) {
        StringBuilder out = new StringBuilder(header).append('\n');
        line(out, "runs", runs.size());
        for (Phase phase : Phase.values()) {
            line(out, phase.label, count(phase));
        }
        line(out, "outcome original (sha-256 equal)", runs.stream().filter(r -> "original".equals(r.outcome)).count());
        line(out, "outcome migrated (torch.load checked)", runs.stream().filter(r -> "migrated".equals(r.outcome)).count());
        line(out, "temp files left behind", runs.stream().mapToInt(r -> r.tempsLeft).sum());
        line(out, "temp files cleaned by the next run", runs.stream().filter(r -> r.tempsCleaned).mapToInt(r -> r.tempsLeft).sum());
        line(out, "failures", failures().size());
        out.append('\n');
        runs.forEach(r -> out.append(r.row()).append('\n'));
        return out.toString();
    }

    private static void line(StringBuilder out, String label, long value) {
        out.append(String.format("%-40s %5d%n", label, value));
    }
}
