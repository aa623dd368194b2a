package dev.mrkenvelope.aws;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads a hedging router runs attempts on. A thread is started whenever none is idle:
 * the Regions' slots, not this pool, bound how many attempts run at once, so an attempt is never
 * refused for lack of a thread. Idle threads end after {@link #IDLE_SECONDS}.
 */
final class AttemptThreads implements AutoCloseable {
  static final long IDLE_SECONDS = 30;
  static final String THREAD_PREFIX = "mrkenvelope-kms-";
  private static final AtomicInteger ROUTERS = new AtomicInteger();

  private final ThreadPoolExecutor executor;

  AttemptThreads() {
    AtomicInteger n = new AtomicInteger();
    String prefix = THREAD_PREFIX + ROUTERS.incrementAndGet() + "-";
    this.executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, prefix + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code attempt} on a router thread.
   *
   * @throws RejectedExecutionException only after {@link #close()}
   */
  void execute(Runnable attempt) {
    executor.execute(attempt);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
