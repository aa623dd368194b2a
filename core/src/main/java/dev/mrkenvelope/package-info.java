/**
 * The client: {@link dev.mrkenvelope.EnvelopeClient} encrypts and decrypts messages in the AWS
 * Encryption SDK message format, as byte arrays or streams, with the {@link
 * dev.mrkenvelope.AlgorithmSuite} and {@link dev.mrkenvelope.CommitmentPolicy} of the ESDK, and
 * reports failures as one unchecked {@link dev.mrkenvelope.EnvelopeException} hierarchy.
 *
 * <p><b>Layering.</b> This package is the top: it uses {@link dev.mrkenvelope.materials} (materials
 * managers, which use {@link dev.mrkenvelope.keyring} keyrings) to obtain data keys, and never the
 * other way round, except for the value types the lower packages share ({@link
 * dev.mrkenvelope.AlgorithmSuite}, {@link dev.mrkenvelope.EncryptedDataKey}, the exceptions).
 * Nothing in the module depends on the AWS SDK; the KMS keyrings live in {@code mrk-envelope-aws}.
 *
 * <p><b>Thread safety.</b> Clients, results and options are immutable and thread-safe; share one
 * client per configuration. Streams are single-threaded, like every {@code java.io} stream.
 *
 * <p><b>Nulls.</b> No parameter accepts {@code null} unless its documentation says so; a {@code
 * null} argument fails at once with a {@link java.lang.NullPointerException} naming it. Public
 * methods never return {@code null}: absent values are empty {@code Optional}s or collections.
 */
package dev.mrkenvelope;
