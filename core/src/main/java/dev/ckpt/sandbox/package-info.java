/**
 * Code that came inside a checkpoint (an embedded rollback): the bytecode allow-list it must pass
 * before it is loaded, the time-bounded run, and the rewrite of API names an older release
 * embedded.
 */
package dev.ckpt.sandbox;
