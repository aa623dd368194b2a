/**
 * Test support on kms-local: {@link dev.mrkenvelope.testkit.LocalKmsExtension} (a multi-region KMS
 * per test class, injected SDK clients and multi-region keys, faults healed after each test),
 * {@link dev.mrkenvelope.testkit.SdkClients} (an AWS SDK {@code KmsClient} pointed at a kms-local
 * region) and fake keyrings ({@link dev.mrkenvelope.testkit.CountingKeyring}, {@link
 * dev.mrkenvelope.testkit.CapturingKeyring}, {@link dev.mrkenvelope.testkit.FixedDataKeyKeyring}).
 *
 * <p>Every type here is for tests only: dummy credentials, loopback endpoints, keys in memory.
 * Arguments are never null unless a method says so; a null argument throws {@code
 * NullPointerException} naming it.
 */
package dev.mrkenvelope.testkit;
