package dev.ckpt.torch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The part of the source archive a write takes over as it is: the source's bytes from offset 0
 * to the end of the last storage the new archive keeps unchanged, copied at equal offsets (cloned
 * where the file system can) instead of rewritten. The new data.pkl, the storages from the first
 * change on (torch 1.x archives: the new storages) and the other new or changed records follow
 * it, then a new central directory: torch finds records through the directory, and its 2.7+
 * loader needs only the storages to lie one after the other in first-use order
 * ({@link TorchLayout}), which a run of the source's own storages at their own offsets does.
 *
 * <p>The records inside the prefix the new archive does not list (the old data.pkl, at the front
 * where torch writes it) stay in the file as dead bytes. They are bounded: the prefix ends at the
 * kept storages, so each write leaves only the front of the file dead, never the pickles of
 * earlier writes; and a write whose dead bytes would exceed {@link #maxDeadBytes} rewrites the
 * whole archive instead.
 *
 * @param length    bytes of the source taken over, from offset 0
 * @param kept      the source's records in the prefix the new archive lists, in file order
 * @param rest      the records to write after the prefix, in order
 * @param deadBytes bytes of the prefix no record of the new archive covers
 */
record ClonedPrefix(long length, List<ArchiveRecord> kept, List<PlannedRecord> rest, long deadBytes) {
    private static final long DEAD_BYTES_FLOOR = 1L << 20;
    private static final int DEAD_BYTES_SHARE = 8;

    /** Dead bytes a file of {@code size} bytes may carry: 1 MiB, or an eighth of the file when that is more. */
    static long maxDeadBytes(long size) {
        return Math.max(DEAD_BYTES_FLOOR, size / DEAD_BYTES_SHARE);
    }

    /**
     * The prefix a write of {@code plan} over the archive {@code source} can take over, if any:
     * at least the source's first storage must be kept as it is, and the dead bytes within bounds.
     *
     * @param source              the source's records, as its central directory lists them
     * @param plan                the records of the new archive, in the order a full rewrite writes them
     * @param isStorage           which record names are storages
     * @param storagesInPlanOrder whether the storages must lie in the plan's order (torch 2.x's
     *                            first-use promise); without it (torch 1.x) new storages may follow
     *                            the kept ones, whatever their keys
     */
    static Optional<ClonedPrefix> of(List<ArchiveRecord> source, long sourceSize, List<PlannedRecord> plan, Predicate<String> isStorage,
                                     boolean storagesInPlanOrder) {
        if (source.stream().anyMatch(r -> r.headerOffset() < 0 || !r.hasCrc())) {
            return Optional.empty();  // the pre-1.6 format: nothing is where a zip would have it
        }
        List<ArchiveRecord> physical = source.stream().sorted(Comparator.comparingLong(ArchiveRecord::headerOffset)).toList();
        // Identity, not equality: the plan copies these very records, and a record's equals is slow until the JIT has run
        Set<ArchiveRecord> keepable = Collections.newSetFromMap(new IdentityHashMap<>());
        plan.stream().filter(PlannedRecord::keepsSourceRecord).forEach(r -> keepable.add(r.source()));
        List<PlannedRecord> planStorages = plan.stream().filter(r -> isStorage.test(r.name())).toList();
        List<ArchiveRecord> sourceStorages = physical.stream().filter(r -> isStorage.test(r.name())).toList();
        int same = 0;
        while (same < sourceStorages.size() && (storagesInPlanOrder
                ? same < planStorages.size() && planStorages.get(same).keepsSourceRecord() && planStorages.get(same).source() == sourceStorages.get(same)
                : keepable.contains(sourceStorages.get(same)))) {
            same++;
        }
        if (same == 0) {
            return Optional.empty();
        }
        for (int i = 1; i < same; i++) {
            if (TorchLayout.recordEnd(sourceStorages.get(i - 1)) != sourceStorages.get(i).headerOffset()) {
                return Optional.empty();  // torch 2.7+ computes each storage's place from the one before
            }
        }
        Set<ArchiveRecord> keptStorages = Collections.newSetFromMap(new IdentityHashMap<>());
        keptStorages.addAll(sourceStorages.subList(0, same));
        List<PlannedRecord> rest = new ArrayList<>(planStorages.stream().filter(r -> !keptStorages.contains(r.source())).toList());
        int last = 0;
        while (physical.get(last) != sourceStorages.get(same - 1)) {
            last++;
        }
        if (rest.isEmpty()) {
            // no storage is written after the prefix, so it may go on through the kept records that follow
            while (last + 1 < physical.size() && keepable.contains(physical.get(last + 1)) && !isStorage.test(physical.get(last + 1).name())) {
                last++;
            }
        }
        long length = TorchLayout.recordEnd(physical.get(last));
        long live = 0;
        List<ArchiveRecord> kept = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            ArchiveRecord record = physical.get(i);
            long next = i + 1 < physical.size() ? physical.get(i + 1).headerOffset() : sourceSize;
            if (TorchLayout.recordEnd(record) > next) {
                return Optional.empty();  // overlapping records, or no room for the descriptor torch writes: not torch's layout
            }
            if (keepable.contains(record)) {
                kept.add(record);
                live += TorchLayout.recordEnd(record) - record.headerOffset();
            }
        }
        Set<String> keptNames = kept.stream().map(ArchiveRecord::name).collect(Collectors.toSet());
        plan.stream().filter(r -> !isStorage.test(r.name()) && !keptNames.contains(r.name())).forEach(rest::add);
        long dead = length - live;
        long newSize = length + rest.stream().mapToLong(PlannedRecord::size).sum();
        if (dead > maxDeadBytes(newSize)) {
            return Optional.empty();
        }
        return Optional.of(new ClonedPrefix(length, List.copyOf(kept), List.copyOf(rest), dead));
    }
}
