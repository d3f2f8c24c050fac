package dev.ckpt.engine;

import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.Node;
import dev.ckpt.api.OmegaConfView;
import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.PythonTypes;
import dev.ckpt.torch.CheckpointFormatException;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes what a checkpoint says about its migrations (DESIGN section 6):
 * {@code ckpt["migrations"]}, the records, and
 * {@code ckpt["hyper_parameters"]["metadata"]["migrations"]["history"]}, every run and rollback.
 * Everything written is a plain dict, list, str, bool or None, so the file loads in any Python.
 *
 * <p>A checkpoint whose root is a plain dict holds them itself, as the reference does. Any other
 * root (an {@code OrderedDict} state dict, a tensor, a list, a pickled module) keeps them in the
 * archive record {@code <prefix>/ckpt_migrations.pkl}: a pickle of a dict laid out as such a root
 * would be, which torch.load never reads, so {@code model.load_state_dict(torch.load(f), strict=True)}
 * still sees exactly the model's keys after a migration.
 */
final class CheckpointRecords {
    static final String RECORDS_KEY = "migrations";
    static final String SIDE_RECORD = "ckpt_migrations.pkl";
    private static final long MAX_SIDE_RECORD = 64L << 20;
    /** Where the history lies under {@code hyper_parameters}. */
    private static final String HISTORY = "metadata.migrations.history";

    private final Path file;
    private final Map<Object, Object> root;
    private final TorchCheckpoint sideArchive;

    private CheckpointRecords(Path file, Map<Object, Object> root, TorchCheckpoint sideArchive) {
        this.file = file;
        this.root = root;
        this.sideArchive = sideArchive;
    }

    /** The records of an open checkpoint: in its root dict, or in its side record for any other root. */
    @SuppressWarnings("unchecked")
    static CheckpointRecords of(Path file, TorchCheckpoint archive) throws IOException {
        if (keepsRecordsInTree(archive.root())) {
            return new CheckpointRecords(file, (Map<Object, Object>) archive.root(), null);
        }
        byte[] side = archive.readExtraRecord(SIDE_RECORD, MAX_SIDE_RECORD);
        Map<Object, Object> holder = new LinkedHashMap<>();
        if (side != null) {
            Object tree;
            try {
                tree = new PickleReader().read(side);
            } catch (PickleException e) {
                throw new CheckpointFormatException(file, archive.prefix() + "/" + SIDE_RECORD, "unreadable pickle: " + e.getMessage(), e);
            }
            holder = DictLike.entriesOrNull(tree);
            if (holder == null) {
                throw new CheckpointFormatException(file, archive.prefix() + "/" + SIDE_RECORD, "holds a " + PythonTypes.name(tree) + ", not a dict");
            }
        }
        return new CheckpointRecords(file, holder, archive);
    }

    /** A plain dict root holds its records (the reference's layout); every other root has a side record. */
    static boolean keepsRecordsInTree(Object root) {
        return root instanceof Map<?, ?>;
    }

    /** Puts changed records into the archive (a no-op when they live in the root dict itself). */
    void save() {
        if (sideArchive != null) {
            sideArchive.putExtraRecord(SIDE_RECORD, new PickleWriter().write(root));
        }
    }

    /** False when the checkpoint has no {@code migrations} key at all. */
    boolean present() {
        return root.containsKey(RECORDS_KEY);
    }

    List<MigrationRecord> read() {
        Object list = root.get(RECORDS_KEY);
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof List<?> entries)) {
            throw malformed("ckpt[\"migrations\"] is a " + PythonTypes.name(list) + ", not a list");
        }
        List<MigrationRecord> records = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            records.add(parse(entries.get(i), i));
        }
        return records;
    }

    private MigrationRecord parse(Object entry, int index) {
        Map<Object, Object> fields = DictLike.entriesOrNull(entry);
        if (fields == null || !(fields.get("name") instanceof String name)) {
            throw malformed("ckpt[\"migrations\"][" + index + "] is not a migration record: " + Node.of(entry));
        }
        Map<Object, Object> metadata = attributes(fields.get("metadata"));
        Map<Object, Object> versions = metadata == null ? null : DictLike.entriesOrNull(metadata.get("versions"));
        boolean isFinal = metadata != null && Boolean.TRUE.equals(metadata.get("final"));
        Object signature = fields.get("signature");
        return new MigrationRecord(name, versions, isFinal, signature instanceof String s ? s : null,
                fields.get("rollback"), DictLike.entriesOrNull(fields.get("setup_context")), entry);
    }

    /** A dict, or the attributes of an object such as the reference's MigrationMetadata dataclass. */
    private static Map<Object, Object> attributes(Object value) {
        Map<Object, Object> map = DictLike.entriesOrNull(value);
        if (map == null && value instanceof PyObject object) {
            map = object.attributes();
        }
        return map;
    }

    /** Appends the record of a migration that just ran. */
    void append(MigrationDescriptor migration, String appKey, String nextVersion, Object embeddedRollback) {
        recordsForUpdate().add(recordOf(migration, appKey, nextVersion, embeddedRollback));
    }

    /** The record of a migration, as apply and register write it (and the training callback, from the manifest). */
    static Map<Object, Object> recordOf(MigrationDescriptor migration, String appKey, String nextVersion, Object embeddedRollback) {
        Map<Object, Object> versions = new LinkedHashMap<>();
        versions.put("migration", migration.format());
        versions.put(appKey, migration.version(nextVersion));
        Map<Object, Object> metadata = new LinkedHashMap<>();
        metadata.put("versions", versions);
        metadata.put("final", migration.isFinal());
        Map<Object, Object> record = new LinkedHashMap<>();
        record.put("name", migration.name().toString());
        record.put("metadata", metadata);
        record.put("signature", migration.signature());
        record.put("rollback", embeddedRollback);
        record.put("setup_context", setupContext(migration));
        return record;
    }

    /** Removes the newest record (after its rollback ran). */
    void removeLast(String expectedName) {
        List<Object> records = recordsForUpdate();
        if (records.isEmpty() || !expectedName.equals(parse(records.get(records.size() - 1), records.size() - 1).name())) {
            throw malformed("the newest record is not " + expectedName);
        }
        records.remove(records.size() - 1);
    }

    /** Creates an empty record list when there is none (a checkpoint stamped with no migrations). */
    void ensurePresent() {
        recordsForUpdate();
    }

    /** Removes the record named {@code name}, wherever it is (forget); refused when there is none. */
    MigrationRecord remove(String name) {
        List<Object> records = recordsForUpdate();
        for (int i = 0; i < records.size(); i++) {
            MigrationRecord record = parse(records.get(i), i);
            if (record.name().equals(name)) {
                records.remove(i);
                return record;
            }
        }
        throw new IllegalArgumentException(file + ": it has no record of a migration " + name + " (its records: "
                + read().stream().map(MigrationRecord::name).toList() + ")");
    }

    void addHistory(String type, String name, String signature) {
        Map<Object, Object> entry = new LinkedHashMap<>();
        entry.put("type", type);
        entry.put("name", name);
        entry.put("signature", signature);
        OmegaConfView config = hyperParametersConfig();
        if (config == null) {
            history().add(entry);
            return;
        }
        if (!config.has(HISTORY)) {
            config.set(HISTORY, new ArrayList<>());
        }
        config.append(HISTORY, entry);
    }

    /** The history entries, without creating anything where there are none. */
    List<?> historyEntries() {
        OmegaConfView config = hyperParametersConfig();
        if (config != null) {
            return config.has(HISTORY) && config.get(HISTORY) instanceof OmegaConfView list && list.isList()
                    ? (List<?>) list.toPlain() : List.of();
        }
        Node entries = Node.of(root).path("hyper_parameters." + HISTORY);
        return !entries.isMissing() && entries.value() instanceof List<?> list ? list : List.of();
    }

    /**
     * {@code hyper_parameters} when it is an OmegaConf DictConfig (Lightning with Hydra-style
     * configs), else null. The history goes into it as OmegaConf nodes, so that
     * {@code OmegaConf.to_container} gives back the same plain entries and the config still loads.
     */
    private OmegaConfView hyperParametersConfig() {
        Object hyper = root.get("hyper_parameters");
        return OmegaConfView.isConfig(hyper) && OmegaConfView.of(hyper).isDict() ? OmegaConfView.of(hyper) : null;
    }

    private List<Object> history() {
        Map<Object, Object> hyper = child(root, "hyper_parameters", "ckpt");
        Map<Object, Object> metadata = child(hyper, "metadata", "ckpt[\"hyper_parameters\"]");
        Map<Object, Object> migrations = child(metadata, "migrations", "ckpt[\"hyper_parameters\"][\"metadata\"]");
        Object history = migrations.computeIfAbsent("history", k -> new ArrayList<>());
        return asList(history, "the migration history");
    }

    private static Map<Object, Object> setupContext(MigrationDescriptor migration) {
        if (!migration.hasMigrateSetup()) {
            return null;
        }
        MigrationContext context = migration.migrateContext();
        Map<Object, Object> serialized = new LinkedHashMap<>();
        serialized.put("attribute_paths", endToStart(context.attributePaths()));
        serialized.put("module_paths", endToStart(context.modulePaths()));
        serialized.put("deleted_attributes", new ArrayList<Object>(context.deletedAttributes()));
        serialized.put("deleted_modules", new ArrayList<Object>(context.deletedModules()));
        return serialized;
    }

    /** The reference stores moves as {end: start}. */
    private static Map<Object, Object> endToStart(Map<String, String> moves) {
        Map<Object, Object> reversed = new LinkedHashMap<>();
        moves.forEach((start, end) -> reversed.put(end, start));
        return reversed;
    }

    /** The migrate-setup declarations a record carries, as a context (for rolling back without the code). */
    static MigrationContext contextOf(Map<Object, Object> setupContext) {
        MigrationContext context = new MigrationContext();
        if (setupContext == null) {
            return context;
        }
        Map<Object, Object> modules = DictLike.entriesOrNull(setupContext.get("module_paths"));
        Map<Object, Object> attributes = DictLike.entriesOrNull(setupContext.get("attribute_paths"));
        if (modules != null) {
            modules.forEach((end, start) -> context.moveModule(String.valueOf(start), String.valueOf(end)));
        }
        if (attributes != null) {
            attributes.forEach((end, start) -> context.moveAttribute(String.valueOf(start), String.valueOf(end)));
        }
        if (setupContext.get("deleted_modules") instanceof List<?> modulesGone) {
            modulesGone.forEach(m -> context.deleteModule(String.valueOf(m)));
        }
        if (setupContext.get("deleted_attributes") instanceof List<?> attributesGone) {
            attributesGone.forEach(a -> context.deleteAttribute(String.valueOf(a)));
        }
        return context;
    }

    private List<Object> recordsForUpdate() {
        return asList(root.computeIfAbsent(RECORDS_KEY, k -> new ArrayList<>()), "ckpt[\"migrations\"]");
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object value, String what) {
        if (value instanceof List<?> list && !(value instanceof dev.ckpt.pickle.PyTuple)) {
            return (List<Object>) list;
        }
        throw malformed(what + " is a " + PythonTypes.name(value) + ", not a list");
    }

    private Map<Object, Object> child(Map<Object, Object> parent, String key, String where) {
        Object value = parent.computeIfAbsent(key, k -> new LinkedHashMap<>());
        Map<Object, Object> map = DictLike.entriesOrNull(value);
        if (map == null) {
            throw malformed(where + "[\"" + key + "\"] is a " + PythonTypes.name(value) + ", not a dict");
        }
        return map;
    }

    private CheckpointFormatException malformed(String message) {
        return new CheckpointFormatException(file, null, message);
    }
}
