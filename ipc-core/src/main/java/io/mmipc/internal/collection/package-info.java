/**
 * The machinery under {@code io.mmipc.collection}: the layout descriptor ({@link
 * io.mmipc.internal.collection.CollectionLayout}), the segmented block heap with its crash repair, and the
 * hash table and array stores. Memory-order words as in {@code io.mmipc.internal.mem}: writers publish with
 * release stores of ref words, readers acquire them and validate block stamps around their copies (a
 * seqlock per block).
 */
package io.mmipc.internal.collection;
