package dev.mrkenvelope.materials;

import com.github.benmanes.caffeine.cache.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A Caffeine scheduler driven by a test's fake clock: it records what the cache asks to run and
 * when, and runs it only when the test says the time has come.
 */
final class ManualScheduler implements Scheduler {
  private final LongSupplier clock;
  private final List<Task> tasks = new ArrayList<>();

  ManualScheduler(LongSupplier clock) {
    this.clock = clock;
  }

  /** One scheduled run: due at {@code dueNanos} on the fake clock. */
  record Task(
      long dueNanos,
      long delayNanos,
      Executor executor,
      Runnable command,
      CompletableFuture<Void> future) {}

  @Override
  public synchronized Future<?> schedule(
      Executor executor, Runnable command, long delay, TimeUnit unit) {
    long nanos = unit.toNanos(delay);
    Task t =
        new Task(clock.getAsLong() + nanos, nanos, executor, command, new CompletableFuture<>());
    tasks.add(t);
    return t.future();
  }

  /** The pending (not cancelled, not run) tasks. */
  synchronized List<Task> pending() {
    return tasks.stream().filter(t -> !t.future().isDone()).toList();
  }

  /** Runs every pending task that is due by the fake clock; returns how many ran. */
  int runDue() {
    List<Task> due;
    synchronized (this) {
      long now = clock.getAsLong();
      due = tasks.stream().filter(t -> !t.future().isDone() && t.dueNanos() - now <= 0).toList();
    }
    for (Task t : due) {
      if (t.future().complete(null)) {
        t.executor().execute(t.command());
      }
    }
    return due.size();
  }
}
