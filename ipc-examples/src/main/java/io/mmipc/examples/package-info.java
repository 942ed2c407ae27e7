/**
 * Runnable examples: real processes exchanging data through mmipc objects in the default folder (or
 * {@code -Dmmipc.dir}). {@link io.mmipc.examples.WorkerPoolDemo} is the project's main job ({@code scripts/demo});
 * {@link io.mmipc.examples.Example} runs the six examples of the subpackages by name ({@code scripts/example}).
 */
package io.mmipc.examples;
