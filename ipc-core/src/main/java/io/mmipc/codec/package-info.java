/**
 * Payloads: the {@link io.mmipc.codec.Codec} interface that turns items into the bytes a queue or pipe
 * carries, and {@link io.mmipc.codec.Codecs}, the built-ins. Java serialization is available only behind an
 * allow-list {@link java.io.ObjectInputFilter}: a class not allowed is refused before it is instantiated.
 */
package io.mmipc.codec;
