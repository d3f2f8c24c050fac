package dev.ckpt.engine.scenarios.bad;

/** Named like a migration, but does not extend Migration. */
public class M1780000006_not_a_migration {
}
