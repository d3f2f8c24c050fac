/**
 * Test support for a migrations project: {@code MigrationTester} applies and round-trips a
 * project's migrations on a Lightning-shaped sample ({@code LightningSample}) or on the project's
 * own samples, and {@code RoundTripValidator} is what the {@code validate} goal runs.
 */
package dev.ckpt.testing;
