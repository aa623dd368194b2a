package dev.mrkenvelope.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reuses objects that are costly to make and not thread-safe (a JCA {@code Cipher} or {@code Mac}):
 * one per platform thread, as a {@link ThreadLocal} would; on a virtual thread (Java 21+), one from
 * a small shared set of slots, because a virtual thread usually runs a single task and a
 * thread-local object would be made anew for every call. Use it between {@link #acquire} and {@link
 * #release} on the same thread, and nowhere else.
 *
 * <p>Thread-safe. At most {@code slots} idle objects are kept for virtual threads; a virtual thread
 * that finds its slot empty makes a new object, and one that finds it full on release drops its
 * own. Do not acquire twice from the same instance on one thread before releasing: a platform
 * thread would get its one object twice.
 *
 * <p>An idle {@code Cipher} or {@code Mac} still holds its last key schedule until its next use, as
 * a per-thread object on a pooled platform thread always has: at most {@code slots} such objects
 * per instance here. Wiping them on release would cost a key set-up per use, which is what reusing
 * them saves.
 */
public final class Reusable<T> {
  private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

  private final Supplier<T> factory;
  private final ThreadLocal<T> perThread;
  private final AtomicReferenceArray<T> shared;
  private final int mask;
  private final BooleanSupplier onVirtualThread;

  /** {@code cpus}: how many threads run at once, which sizes the shared slots. */
  Reusable(Supplier<T> factory, int cpus, BooleanSupplier onVirtualThread) {
    this.factory = factory;
    this.perThread = ThreadLocal.withInitial(factory);
    int n = slotCount(cpus);
    this.shared = new AtomicReferenceArray<>(n);
    this.mask = n - 1;
    this.onVirtualThread = onVirtualThread;
  }

  /** Objects made by {@code factory}, which may throw an unchecked exception to report failure. */
  public static <T> Reusable<T> of(Supplier<T> factory) {
    return new Reusable<>(
        factory, Runtime.getRuntime().availableProcessors(), Reusable::currentThreadIsVirtual);
  }

  /** An object for this thread's exclusive use until {@link #release}. */
  public T acquire() {
    if (!onVirtualThread.getAsBoolean()) {
      return perThread.get();
    }
    T t = shared.getAndSet(slot(), null);
    return t != null ? t : factory.get();
  }

  /** Gives back what {@link #acquire} returned on this thread; the caller must not use it again. */
  public void release(T t) {
    if (onVirtualThread.getAsBoolean()) {
      shared.compareAndSet(slot(), null, t);
    }
  }

  @SuppressWarnings("deprecation") // getId: threadId() needs Java 19; the values are the same
  private int slot() {
    return (int) Thread.currentThread().getId() & mask;
  }

  /** A power of two, at least 8, at least twice {@code n}. */
  static int slotCount(int n) {
    int want = Math.max(8, 2 * n);
    return Integer.highestOneBit(want - 1) << 1;
  }

  static boolean currentThreadIsVirtual() {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code Thread.isVirtual()} where it exists (Java 21+), else null. */
  private static MethodHandle isVirtualHandle() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }
}
