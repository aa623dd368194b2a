/**
 * Keyrings: the {@link dev.mrkenvelope.keyring.Keyring} service-provider interface that wraps and
 * unwraps data keys, and the local keyrings of the AWS Encryption SDK: {@link
 * dev.mrkenvelope.keyring.RawAesKeyring}, {@link dev.mrkenvelope.keyring.RawRsaKeyring} and {@link
 * dev.mrkenvelope.keyring.MultiKeyring}. Each writes exactly what the ESDK's keyring of the same
 * kind writes into an encrypted data key, so either side unwraps what the other wrapped.
 *
 * <p><b>Layering.</b> Keyrings are called by materials managers ({@link
 * dev.mrkenvelope.materials}), which are called by the client; a keyring only sees materials and
 * encrypted data keys, never messages. The AWS KMS keyrings of {@code mrk-envelope-aws} implement
 * the same interface.
 *
 * <p><b>Thread safety.</b> Keyrings are immutable and thread-safe (a multi-keyring if its keyrings
 * are); their builders are not. Implementations of {@link dev.mrkenvelope.keyring.Keyring} must be
 * thread-safe too: one keyring serves every thread of a client.
 *
 * <p><b>Nulls.</b> No parameter accepts {@code null} and no method returns it; builders reject a
 * {@code null} setting with a {@link java.lang.NullPointerException} naming it. Secret inputs
 * (wrapping keys) are copied; zero your own copy when done.
 */
package dev.mrkenvelope.keyring;
