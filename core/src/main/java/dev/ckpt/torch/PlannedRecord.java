package dev.ckpt.torch;

/**
 * A record of the archive to write: its bytes from memory, a record of the source file to copy,
 * or torch's serialization id (computed while writing).
 */
record PlannedRecord(String name, byte[] bytes, ArchiveRecord source, boolean serializationId) {
    static PlannedRecord of(String name, byte[] bytes) {
        return new PlannedRecord(name, bytes, null, false);
    }

    static PlannedRecord copy(String name, ArchiveRecord source) {
        return new PlannedRecord(name, null, source, false);
    }

    static PlannedRecord serializationId(String name) {
        return new PlannedRecord(name, null, null, true);
    }

    long size() {
        return bytes != null ? bytes.length : source != null ? source.size() : 40;
    }

    /** Whether it is a source record under its own name: its bytes, header included, can stay where they are. */
    boolean keepsSourceRecord() {
        return source != null && source.name().equals(name);
    }
}
