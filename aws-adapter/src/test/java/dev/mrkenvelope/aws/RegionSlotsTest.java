package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RegionSlotsTest {
  @Test
  void freeSlots_areTakenAtOnce_thenCallersQueue() {
    RegionSlots slots = new RegionSlots(2);
    AtomicInteger wakes = new AtomicInteger();
    assertThat(slots.take(0, wakes::incrementAndGet).claim()).isTrue();
    assertThat(slots.take(0, wakes::incrementAndGet).claim()).isTrue();
    RegionSlots.Ticket third = slots.take(0, wakes::incrementAndGet);
    assertThat(third.claim()).isFalse();

    slots.release();

    assertThat(wakes).hasValue(1);
    assertThat(third.claim()).isTrue();
  }

  @Test
  void released_goesToTheEarliestDeadline_thenInArrivalOrder() {
    RegionSlots slots = new RegionSlots(1);
    slots.take(0, () -> {}).claim();
    List<String> order = new ArrayList<>();
    List<RegionSlots.Ticket> tickets = new ArrayList<>();
    long now = System.nanoTime();
    String[] names = {"late", "early-1", "early-2", "middle"};
    long[] deadlines = {now + 3_000, now + 1_000, now + 1_000, now + 2_000};
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      tickets.add(slots.take(deadlines[i], () -> order.add(name)));
    }
    for (int i = 0; i < names.length; i++) {
      slots.release(); // the previous holder ends; the slot passes on
    }
    assertThat(order).containsExactly("early-1", "early-2", "middle", "late");
  }

  @Test
  void deadlinesAcrossNanoTimeWrap_compareByDifference() {
    RegionSlots slots = new RegionSlots(1);
    slots.take(0, () -> {}).claim();
    List<String> order = new ArrayList<>();
    slots.take(Long.MIN_VALUE + 10, () -> order.add("after-wrap"));
    slots.take(Long.MAX_VALUE - 10, () -> order.add("before-wrap"));
    slots.release();
    slots.release();
    assertThat(order).containsExactly("before-wrap", "after-wrap");
  }

  @Test
  void cancelledWaiter_isSkipped_andGrantedButUnclaimedSlot_isGivenBack() {
    RegionSlots slots = new RegionSlots(1);
    slots.take(0, () -> {}).claim();
    AtomicInteger woken = new AtomicInteger();
    RegionSlots.Ticket gone = slots.take(0, () -> {});
    RegionSlots.Ticket next = slots.take(1, woken::incrementAndGet);
    gone.cancel();
    slots.release();
    assertThat(next.claim()).isTrue();
    assertThat(woken).hasValue(1);

    // Granted but never claimed (the call ended first): cancel gives the slot back.
    RegionSlots.Ticket granted = slots.take(0, () -> {});
    slots.release(); // next's attempt ends, granted gets the slot
    granted.cancel();
    assertThat(slots.take(0, () -> {}).claim()).as("the slot is free again").isTrue();
    // Once claimed, cancel does nothing: the attempt gives the slot back itself.
    RegionSlots.Ticket claimed = slots.take(0, () -> {});
    assertThat(claimed.claim()).isFalse();
  }

  @Test
  void wakeWaiters_wakesOnlyThoseStillWaiting() {
    RegionSlots slots = new RegionSlots(1);
    slots.take(0, () -> {}).claim();
    AtomicInteger woken = new AtomicInteger();
    slots.take(0, woken::incrementAndGet);
    slots.take(0, woken::incrementAndGet).cancel();
    slots.wakeWaiters();
    assertThat(woken).hasValue(1);
  }

  @Test
  void manyThreads_neverHoldMoreThanTheLimit_andEveryoneGetsASlot() throws Exception {
    int limit = 3;
    int threads = 32;
    RegionSlots slots = new RegionSlots(limit);
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger maxHolding = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(threads);
    AtomicInteger unclaimable = new AtomicInteger();
    for (int t = 0; t < threads; t++) {
      new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  CountDownLatch granted = new CountDownLatch(1);
                  RegionSlots.Ticket ticket = slots.take(System.nanoTime(), granted::countDown);
                  if (!ticket.claim()) {
                    try {
                      granted.await();
                    } catch (InterruptedException e) {
                      throw new AssertionError(e);
                    }
                    if (!ticket.claim()) {
                      unclaimable.incrementAndGet();
                    }
                  }
                  maxHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
                  holding.decrementAndGet();
                  slots.release();
                }
                done.countDown();
              })
          .start();
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).as("every thread got every slot").isTrue();
    assertThat(unclaimable).as("woken as granted, but could not claim").hasValue(0);
    assertThat(maxHolding.get()).isBetween(1, limit);
  }
}
