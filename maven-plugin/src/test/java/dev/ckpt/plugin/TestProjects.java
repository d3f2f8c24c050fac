package dev.ckpt.plugin;

import dev.ckpt.api.OmegaConfView;
import dev.ckpt.engine.CheckpointInspection;
import dev.ckpt.engine.MigrationRecord;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;

/** Projects and checkpoints for the mojo tests, made in a temporary directory. */
final class TestProjects {
    /** The migrations of {@code fixtures.basic}, oldest first. */
    static final String RENAME = "1750000000_rename_encoder";
    static final String RECORD = "1750000100_record_backbone";
    static final String BASIC = "dev.ckpt.plugin.fixtures.basic";
    static final String FINAL_GROUP = "dev.ckpt.plugin.fixtures.finalgroup";

    private TestProjects() {
    }

    /**
     * A project {@code com.example:demo-model:1.1.0} in {@code basedir} whose compiled classes are this
     * module's test classes (so the fixture migrations are on its class path).
     */
    static MavenProject project(Path basedir) {
        Model model = new Model();
        model.setGroupId("com.example");
        model.setArtifactId("demo-model");
        model.setVersion("1.1.0");
        Build build = new Build();
        build.setDirectory(basedir.resolve("target").toString());
        build.setOutputDirectory(testClasses().toString());
        build.setSourceDirectory(basedir.resolve("src/main/java").toString());
        model.setBuild(build);
        MavenProject project = new MavenProject(model);
        project.setFile(basedir.resolve("pom.xml").toFile());
        return project;
    }

    static Path testClasses() {
        try {
            return Path.of(TestProjects.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Lightning-shaped checkpoint with {@code model.encoder.weight} and {@code model.head.weight} and,
     * when names are given, migration records as the reference writes them (app key demo-model, 0.9.0).
     */
    static Path checkpoint(Path file, String... records) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("epoch", 3L);
        PyObject stateDict = new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("collections", "OrderedDict"), PyTuple.of());
        stateDict.dictItemsForUpdate().put("model.encoder.weight", 1L);
        stateDict.dictItemsForUpdate().put("model.head.weight", 2L);
        root.put("state_dict", stateDict);
        root.put("hyper_parameters", OmegaConfView.create(Map.of("lr", 0.001)).value());
        if (records.length > 0) {
            List<Object> entries = new ArrayList<>();
            for (String name : records) {
                Map<Object, Object> versions = new LinkedHashMap<>();
                versions.put("migration", "1.0.0");
                versions.put("demo-model", "0.9.0");
                Map<Object, Object> metadata = new LinkedHashMap<>();
                metadata.put("versions", versions);
                metadata.put("final", false);
                Map<Object, Object> entry = new LinkedHashMap<>();
                entry.put("name", name);
                entry.put("metadata", metadata);
                entry.put("signature", "0".repeat(64));
                entry.put("rollback", null);
                entry.put("setup_context", null);
                entries.add(entry);
            }
            root.put("migrations", entries);
        }
        TorchCheckpoint.create(file, root);
        return file;
    }

    /** The names of the migration records a checkpoint holds. */
    static List<String> records(Path file) throws IOException {
        return CheckpointInspection.of(file).records().stream().map(MigrationRecord::name).toList();
    }

    /** The state_dict keys of a checkpoint. */
    static List<Object> stateDictKeys(Path file) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            PyObject stateDict = (PyObject) archive.rootDict().get("state_dict");
            return new ArrayList<>(stateDict.dictItems().keySet());
        }
    }
}
