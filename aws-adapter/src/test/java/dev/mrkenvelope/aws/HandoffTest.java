package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A successful attempt's value goes to the call or to the discard, never both: before this, a call
 * could take a data key whose attempt thread then found the call over and zeroed it, so a message
 * could be encrypted under an all-zero key (seen once in CI as a key-commitment failure).
 */
class HandoffTest {
  private static final Zeroer ZERO = new Zeroer();

  /** Zeroes a data key, as the KMS calls' discard does, and counts how often. */
  static final class Zeroer implements java.util.function.Consumer<byte[]> {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void accept(byte[] key) {
      calls.incrementAndGet();
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 7);
    return k;
  }

  @Test
  void taken_thenDiscarded_keepsTheValue() {
    byte[] k = key();
    Handoff<byte[]> h = new Handoff<>(k);
    assertThat(h.take()).isTrue();
    h.destroy(ZERO);
    assertThat(h.value()).isSameAs(k).containsOnly(7);
  }

  @Test
  void discarded_thenTaken_isRefused_andDestroyedOnce() {
    Zeroer z = new Zeroer();
    Handoff<byte[]> h = new Handoff<>(key());
    h.destroy(z);
    h.destroy(z);
    assertThat(h.take()).isFalse();
    assertThat(z.calls).hasValue(1);
    assertThat(h.value()).containsOnly(0);
  }

  @Test
  void nullValue_canBeTaken_andIsNeverDestroyed() {
    Zeroer z = new Zeroer();
    Handoff<byte[]> h = new Handoff<>(null);
    h.destroy(z);
    assertThat(h.take()).isTrue();
    assertThat(z.calls).hasValue(0);
  }

  @Test
  void takeAndDiscardRacing_exactlyOneActs_andATakenKeyIsNeverZeroed() throws Exception {
    int rounds = 20_000;
    CyclicBarrier start = new CyclicBarrier(2);
    AtomicInteger taken = new AtomicInteger();
    AtomicInteger damaged = new AtomicInteger();
    Zeroer z = new Zeroer();
    @SuppressWarnings("unchecked")
    Handoff<byte[]>[] handoffs = new Handoff[rounds];
    for (int i = 0; i < rounds; i++) {
      handoffs[i] = new Handoff<>(key());
    }
    Thread discarder =
        new Thread(
            () -> {
              for (Handoff<byte[]> h : handoffs) {
                await(start);
                h.destroy(z);
              }
            });
    discarder.start();
    for (Handoff<byte[]> h : handoffs) {
      await(start);
      if (h.take()) {
        taken.incrementAndGet();
        byte[] k = h.value().clone(); // what the materials copy
        for (byte b : k) {
          if (b != 7) {
            damaged.incrementAndGet();
            break;
          }
        }
      }
    }
    discarder.join();
    assertThat(taken.get() + z.calls.get()).isEqualTo(rounds);
    assertThat(damaged).hasValue(0);
  }

  private static void await(CyclicBarrier b) {
    try {
      b.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
