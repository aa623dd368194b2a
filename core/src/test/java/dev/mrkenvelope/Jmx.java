package dev.mrkenvelope;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The few management beans the tests read, through reflection: test classes are compiled into the
 * {@code dev.mrkenvelope} module, which (rightly) does not read {@code java.management}, while at
 * run time the tests are on the class path where every module is readable.
 */
final class Jmx {
  private static final Method ALLOCATED;
  private static final Object THREADS;
  private static final Method POOL_TYPE;
  private static final Method POOL_PEAK;
  private static final Method POOL_RESET_PEAK;
  private static final Method POOL_COLLECTION_USAGE;
  private static final Method POOL_NAME;
  private static final Method USAGE_USED;
  private static final List<Object> POOLS = new ArrayList<>();

  static {
    try {
      Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
      THREADS = factory.getMethod("getThreadMXBean").invoke(null);
      ALLOCATED =
          Class.forName("com.sun.management.ThreadMXBean")
              .getMethod("getCurrentThreadAllocatedBytes");
      Class<?> pool = Class.forName("java.lang.management.MemoryPoolMXBean");
      POOL_TYPE = pool.getMethod("getType");
      POOL_PEAK = pool.getMethod("getPeakUsage");
      POOL_RESET_PEAK = pool.getMethod("resetPeakUsage");
      POOL_COLLECTION_USAGE = pool.getMethod("getCollectionUsage");
      POOL_NAME = pool.getMethod("getName");
      USAGE_USED = Class.forName("java.lang.management.MemoryUsage").getMethod("getUsed");
      for (Object p : (List<?>) factory.getMethod("getMemoryPoolMXBeans").invoke(null)) {
        if ("HEAP".equals(((Enum<?>) POOL_TYPE.invoke(p)).name())) {
          POOLS.add(p);
        }
      }
      // Make the first measured call as cheap as the later ones.
      ALLOCATED.invoke(THREADS);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Jmx() {}

  /** Bytes allocated by the current thread so far (HotSpot's TLAB-accurate counter). */
  static long allocatedBytes() {
    try {
      return (Long) ALLOCATED.invoke(THREADS);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** CPU time of the current thread, in nanoseconds. */
  static long threadCpuNanos() {
    try {
      return (Long)
          Class.forName("java.lang.management.ThreadMXBean")
              .getMethod("getCurrentThreadCpuTime")
              .invoke(THREADS);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static void resetHeapPeaks() {
    for (Object p : POOLS) {
      call(POOL_RESET_PEAK, p);
    }
  }

  /** Sum over the heap pools of each pool's peak usage (an upper bound of the heap's peak). */
  static long heapPeakSum() {
    long sum = 0;
    for (Object p : POOLS) {
      sum += (Long) call(USAGE_USED, call(POOL_PEAK, p));
    }
    return sum;
  }

  /** Sum over the heap pools of their usage right after the last GC (the live set then). */
  static long heapAfterLastGc() {
    long sum = 0;
    for (Object p : POOLS) {
      Object u = call(POOL_COLLECTION_USAGE, p);
      if (u != null) {
        sum += (Long) call(USAGE_USED, u);
      }
    }
    return sum;
  }

  static String poolNames() {
    List<String> names = new ArrayList<>();
    for (Object p : POOLS) {
      names.add((String) call(POOL_NAME, p));
    }
    return names.toString();
  }

  private static Object call(Method m, Object target) {
    try {
      return m.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
