/**
 * Migration classes that are wrong in one way each; discovering this package must report every
 * one of them at once.
 */
package dev.ckpt.engine.scenarios.bad;
