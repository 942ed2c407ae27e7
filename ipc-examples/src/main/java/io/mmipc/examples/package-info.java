/**
 * Runnable demos: real processes exchanging data through mmipc objects in the default folder.
 * {@link io.mmipc.examples.WorkerPoolDemo} is the project's main job ({@code scripts/demo}).
 */
package io.mmipc.examples;
