package dev.mrkenvelope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReusableTest {

  /** Fails loudly if two threads ever hold it at once. */
  static final class Guarded {
    final AtomicBoolean held = new AtomicBoolean();

    void use() {
      assertThat(held.compareAndSet(false, true)).as("held by two threads at once").isTrue();
      Thread.onSpinWait();
      held.set(false);
    }
  }

  private static java.util.function.Supplier<Guarded> counting(AtomicInteger made) {
    return () -> {
      made.incrementAndGet();
      return new Guarded();
    };
  }

  @Test
  void platformThread_getsItsOwnObjectEveryTime() {
    AtomicInteger made = new AtomicInteger();
    Reusable<Guarded> r = new Reusable<>(counting(made), 8, () -> false);
    Guarded first = r.acquire();
    r.release(first);
    assertThat(r.acquire()).isSameAs(first);
    assertThat(made).hasValue(1);
  }

  @Test
  void pooledThreads_reuseAReleasedObject_andNeverShareAHeldOne() {
    Reusable<Guarded> r = new Reusable<>(Guarded::new, 8, () -> true);
    Guarded first = r.acquire();
    r.release(first);
    Guarded a = r.acquire();
    assertThat(a).isSameAs(first); // reused
    Guarded b = r.acquire(); // a is held: the slot must be empty now, so this is another object
    assertThat(b).isNotSameAs(a);
    r.release(a);
    r.release(b); // its slot is full: dropped
    assertThat(r.acquire()).isSameAs(a);
  }

  @Test
  void thousandsOfConcurrentUses_neverHandOneObjectToTwoThreads() throws Exception {
    AtomicInteger made = new AtomicInteger();
    int threads = 32;
    // Sized for as many threads as run here (2 slots each), so that threads rarely share a slot.
    Reusable<Guarded> r = new Reusable<>(counting(made), threads, () -> true);
    int usesEach = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < usesEach; i++) {
                    Guarded g = r.acquire();
                    try {
                      g.use();
                    } finally {
                      r.release(g);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS); // rethrows a failed assertion
      }
    } finally {
      pool.shutdownNow();
    }
    // Reuse happened: far fewer objects than uses.
    assertThat(made.get()).isLessThan(threads * usesEach / 4);
  }

  @Test
  void slotCount_isAPowerOfTwo_atLeastEight_atLeastTwicePerCpu() {
    assertThat(Reusable.slotCount(1)).isEqualTo(8);
    assertThat(Reusable.slotCount(4)).isEqualTo(8);
    assertThat(Reusable.slotCount(6)).isEqualTo(16);
    assertThat(Reusable.slotCount(64)).isEqualTo(128);
  }

  @Test
  void platformThread_isNotVirtual() {
    assertThat(Reusable.currentThreadIsVirtual()).isFalse();
  }
}
