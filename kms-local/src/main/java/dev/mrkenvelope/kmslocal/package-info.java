/**
 * kms-local: an in-process, multi-Region AWS KMS emulator speaking the real wire protocol, with
 * fault injection. Entry points: {@link dev.mrkenvelope.kmslocal.LocalKms} (in tests and examples)
 * and {@link dev.mrkenvelope.kmslocal.Main} (the runnable jar).
 */
package dev.mrkenvelope.kmslocal;
