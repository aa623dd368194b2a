package dev.mrkenvelope.testkit;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A keyring that counts the calls it passes on to another keyring, and can hold them at a gate or
 * fail the next one: to see how often a cache reaches the keyring, to make many threads miss at
 * once, or to rehearse a keyring failure.
 *
 * <p>Thread-safe.
 */
public final class CountingKeyring implements Keyring {
  /** How long a call waits at a closed gate before it fails: a hang guard, not a timing. */
  public static final Duration GATE_TIMEOUT = Duration.ofSeconds(30);

  private final Keyring delegate;
  private final AtomicInteger encryptCalls = new AtomicInteger();
  private final AtomicInteger decryptCalls = new AtomicInteger();
  private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
  private final AtomicReference<RuntimeException> failNext = new AtomicReference<>();

  private CountingKeyring(Keyring delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** Counts the calls to {@code delegate}. */
  public static CountingKeyring counting(Keyring delegate) {
    return new CountingKeyring(delegate);
  }

  /**
   * Counts the calls to a raw AES keyring with a fixed test key (namespace {@code
   * mrk-envelope-test}, name {@code counting}): two of these read each other's messages.
   */
  public static CountingKeyring rawAes() {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (0x40 + i);
    }
    return counting(
        RawAesKeyring.builder()
            .keyNamespace("mrk-envelope-test")
            .keyName("counting")
            .wrappingKey(key)
            .build());
  }

  /** How many times {@link #onEncrypt} was called, including calls that failed or waited. */
  public int encryptCalls() {
    return encryptCalls.get();
  }

  /** How many times {@link #onDecrypt} was called, including calls that failed or waited. */
  public int decryptCalls() {
    return decryptCalls.get();
  }

  /**
   * Makes every later call wait (after it is counted) until {@link #openGate()}; a call that waits
   * longer than {@link #GATE_TIMEOUT} fails with {@link IllegalStateException}.
   *
   * @return this keyring
   */
  public CountingKeyring closeGate() {
    gate.set(new CountDownLatch(1));
    return this;
  }

  /** Lets every waiting and later call through. */
  public void openGate() {
    CountDownLatch g = gate.getAndSet(null);
    if (g != null) {
      g.countDown();
    }
  }

  /** Makes the next call (only that one) throw {@code failure} after it is counted. */
  public void failNext(RuntimeException failure) {
    failNext.set(Objects.requireNonNull(failure, "failure"));
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    encryptCalls.incrementAndGet();
    enter();
    return delegate.onEncrypt(materials);
  }

  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    decryptCalls.incrementAndGet();
    enter();
    return delegate.onDecrypt(materials, encryptedDataKeys);
  }

  @Override
  public Optional<String> keyIdentity() {
    return delegate.keyIdentity();
  }

  private void enter() {
    CountDownLatch g = gate.get();
    if (g != null) {
      try {
        if (!g.await(GATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              "CountingKeyring's gate stayed closed for " + GATE_TIMEOUT + "; call openGate()");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at CountingKeyring's gate", e);
      }
    }
    RuntimeException e = failNext.getAndSet(null);
    if (e != null) {
      throw e;
    }
  }

  @Override
  public String toString() {
    return "CountingKeyring(" + delegate + ")";
  }
}
