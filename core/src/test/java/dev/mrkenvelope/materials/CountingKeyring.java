package dev.mrkenvelope.materials;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw AES keyring that counts its calls and can hold them at a gate, so tests can see how often a
 * cache reaches the keyring and make many threads miss at once.
 */
final class CountingKeyring implements Keyring {
  static final String NAMESPACE = "mrk-envelope-test";
  static final String NAME = "cache-key";
  static final byte[] WRAPPING_KEY = new byte[32];

  static {
    for (int i = 0; i < WRAPPING_KEY.length; i++) {
      WRAPPING_KEY[i] = (byte) (0x40 + i);
    }
  }

  private final Keyring inner =
      RawAesKeyring.builder()
          .keyNamespace(NAMESPACE)
          .keyName(NAME)
          .wrappingKey(WRAPPING_KEY)
          .build();
  final AtomicInteger encryptCalls = new AtomicInteger();
  final AtomicInteger decryptCalls = new AtomicInteger();
  private volatile CountDownLatch gate;
  private volatile RuntimeException failNext;

  /** Makes every call wait until {@link #open()}. */
  CountingKeyring closeGate() {
    gate = new CountDownLatch(1);
    return this;
  }

  void open() {
    gate.countDown();
  }

  /** Makes the next call throw {@code e} (after counting it). */
  void failNext(RuntimeException e) {
    failNext = e;
  }

  private void enter() {
    CountDownLatch g = gate;
    if (g != null) {
      try {
        if (!g.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    RuntimeException e = failNext;
    if (e != null) {
      failNext = null;
      throw e;
    }
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    encryptCalls.incrementAndGet();
    enter();
    return inner.onEncrypt(materials);
  }

  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    decryptCalls.incrementAndGet();
    enter();
    return inner.onDecrypt(materials, encryptedDataKeys);
  }
}
