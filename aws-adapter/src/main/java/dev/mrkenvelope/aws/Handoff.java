package dev.mrkenvelope.aws;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A successful attempt's value, which goes to exactly one place: the call that takes it as its
 * answer, or the discard that destroys it (zeroes a data key nobody will use). Whichever comes
 * first wins and the other does nothing, so a value a caller took can never be destroyed under it,
 * however an attempt thread's late "done" signal and the call's end interleave.
 *
 * <p>Thread-safe.
 */
final class Handoff<T> {
  private final T value;
  private final AtomicBoolean settled = new AtomicBoolean();

  Handoff(T value) {
    this.value = value;
  }

  /** Takes the value for the caller; false if it was already destroyed (or taken). */
  boolean take() {
    return settled.compareAndSet(false, true);
  }

  /** The value (null for a call that returns none); the caller's only after {@link #take}. */
  T value() {
    return value;
  }

  /** Destroys the value with {@code destroyer} unless a caller took it (or it was destroyed). */
  void destroy(Consumer<T> destroyer) {
    if (value != null && settled.compareAndSet(false, true)) {
      destroyer.accept(value);
    }
  }
}
