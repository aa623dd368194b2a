package dev.mrkenvelope.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Admission control for one Region: at most {@code limit} attempts in flight there, and a queue of
 * the calls waiting for a slot, the one whose call deadline comes first served first (a call that
 * has already spent time in another Region is not sent to the back; ties go in arrival order).
 *
 * <p>Why: past what this process and KMS can serve at once, more concurrent requests only make each
 * of them slower until all of them miss the attempt timeout, in every Region. Waiting for a slot
 * spends the call's time, not the attempt's: an attempt's timer starts when its request is sent.
 * And a Region whose requests hang holds at most {@code limit} of them.
 *
 * <p>Waiting is not blocking: a waiter is told through its wake-up action (run outside the lock)
 * when it is granted a slot, and when the Region's breaker opens so that it can move on. A released
 * slot goes straight to the next waiter. Thread-safe.
 */
final class RegionSlots {
  private final int limit;

  /** Earliest deadline first (compared as nanoTime differences, which may wrap), then arrival. */
  private static final Comparator<Ticket> ORDER =
      (a, b) -> {
        long d = a.deadline - b.deadline;
        return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(a.arrival, b.arrival);
      };

  private final PriorityQueue<Ticket> waiters = new PriorityQueue<>(ORDER);
  private int inUse;
  private long arrivals;

  /** When an attempt here last ended ({@link System#nanoTime()}): how a stalled Region shows. */
  private volatile long lastRelease = System.nanoTime();

  RegionSlots(int limit) {
    this.limit = limit;
  }

  int limit() {
    return limit;
  }

  /**
   * Takes a slot now if one is free and nobody is waiting, else queues.
   *
   * @param deadline the call's deadline ({@link System#nanoTime()} scale): earlier is served first
   * @param wake run (on some other thread, outside any lock) when the ticket is granted or when the
   *     waiters should look at the Region again; must not block
   */
  Ticket take(long deadline, Runnable wake) {
    Ticket t = new Ticket(deadline, wake);
    synchronized (this) {
      t.arrival = arrivals++;
      if (waiters.isEmpty() && inUse < limit) {
        inUse++;
        t.state = State.GRANTED;
      } else {
        waiters.add(t);
      }
    }
    return t;
  }

  /** Gives a slot back: to the first waiter still waiting, or to the pool. */
  void release() {
    lastRelease = System.nanoTime();
    Ticket next;
    synchronized (this) {
      while ((next = waiters.poll()) != null && next.state != State.WAITING) {
        // cancelled while queued: dropped here rather than searched for on cancel
      }
      if (next == null) {
        inUse--;
      } else {
        next.state = State.GRANTED;
      }
    }
    if (next != null) {
      next.wake.run();
    }
  }

  /** When an attempt in this Region last ended (or when the Region was set up). */
  long lastRelease() {
    return lastRelease;
  }

  /** Wakes every waiter, e.g. because the Region's breaker opened: each looks again. */
  void wakeWaiters() {
    List<Runnable> wakes;
    synchronized (this) {
      wakes = new ArrayList<>(waiters.size());
      for (Ticket t : waiters) {
        if (t.state == State.WAITING) {
          wakes.add(t.wake);
        }
      }
    }
    wakes.forEach(Runnable::run);
  }

  private enum State {
    WAITING,
    GRANTED,
    /** Granted and handed to an attempt, which gives the slot back when it ends. */
    CLAIMED,
    CANCELLED
  }

  /** One call's claim on a slot. */
  final class Ticket {
    private final long deadline;
    private final Runnable wake;
    private long arrival;
    private State state = State.WAITING;

    private Ticket(long deadline, Runnable wake) {
      this.deadline = deadline;
      this.wake = wake;
    }

    /**
     * Takes the granted slot for an attempt, which must then {@linkplain RegionSlots#release() give
     * it back} when it ends.
     *
     * @return false if the slot has not been granted (yet)
     */
    boolean claim() {
      synchronized (RegionSlots.this) {
        if (state != State.GRANTED) {
          return false;
        }
        state = State.CLAIMED;
        return true;
      }
    }

    /**
     * Withdraws the ticket; a slot granted to it but not claimed is given back. Idempotent; does
     * nothing once claimed.
     */
    void cancel() {
      boolean release;
      synchronized (RegionSlots.this) {
        if (state == State.CLAIMED) {
          return;
        }
        release = state == State.GRANTED;
        state = State.CANCELLED;
      }
      if (release) {
        release();
      }
    }
  }
}
