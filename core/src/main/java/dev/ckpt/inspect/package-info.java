/**
 * What a checkpoint holds, readable: {@code CheckpointContents} (tensors with dtype, shape and
 * size, totals per module, OmegaConf configs as YAML, numpy arrays, the other values, the Python
 * globals it names with their safety class, its migration records) as text and JSON, and
 * {@code ReadablePath}, the paths it and {@code validate}'s differences are written in. The
 * {@code show} goal prints it.
 */
package dev.ckpt.inspect;
