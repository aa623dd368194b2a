package dev.mrkenvelope.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;

/**
 * An immutable encryption context in insertion order that this library made itself. Requests and
 * materials copy the map a caller hands them, so that a later change by the caller cannot reach a
 * message; a context that is already frozen is passed on as it is, which spares the copies the same
 * context would otherwise go through between the header, the request and the materials of every
 * message.
 *
 * <p>Its entries are immutable pairs kept in an array: iterating hands them out as they are, where
 * an unmodifiable view of a {@link LinkedHashMap} would wrap every entry anew on every pass (and a
 * context is iterated several times per message). Up to {@value #SCAN_LIMIT} pairs, lookups scan
 * the array: a context decoded from a header has fresh key strings whose hash codes no one has
 * computed yet, and hashing them costs more than comparing a few keys. Larger contexts are also
 * indexed by a hash map.
 */
public final class FrozenContext extends AbstractMap<String, String> {
  /** The most pairs looked up by scanning; beyond it, by a hash index. */
  static final int SCAN_LIMIT = 8;

  private static final FrozenContext EMPTY = new FrozenContext(newPairs(0), null);

  private final Entry<String, String>[] entries;

  /** For lookups in contexts of more than {@link #SCAN_LIMIT} pairs; null otherwise. */
  private final Map<String, String> index;

  /** {@link Collections#unmodifiableSet} refuses every change, even to an empty set. */
  private final Set<Entry<String, String>> entrySet = Collections.unmodifiableSet(new EntryView());

  /** The canonical serialization, once computed; volatile so that a reader sees its bytes. */
  private volatile byte[] serialized;

  private FrozenContext(Entry<String, String>[] entries, Map<String, String> index) {
    this.entries = entries;
    this.index = index;
  }

  /** An array for {@code n} pairs (Java cannot create a generic array directly). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Entry<String, String>[] newPairs(int n) {
    return new Entry[n];
  }

  /**
   * One immutable pair; null-tolerant, as a caller's map may be, so that validation names a null
   * key or value later.
   */
  public static Entry<String, String> pair(String key, String value) {
    return new SimpleImmutableEntry<>(key, value);
  }

  /**
   * Freezes {@code entries}, which the caller hands over and no longer touches; a key that repeats
   * keeps its first position and its last value, as copying into a {@link LinkedHashMap} would.
   */
  private static FrozenContext freeze(Entry<String, String>[] entries) {
    int n = entries.length;
    if (n == 0) {
      return EMPTY;
    }
    if (n <= SCAN_LIMIT) {
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          if (Objects.equals(entries[i].getKey(), entries[j].getKey())) {
            return deduplicated(entries);
          }
        }
      }
      return new FrozenContext(entries, null);
    }
    Map<String, String> index = new HashMap<>(n + n / 3 + 1, 0.75f);
    for (Entry<String, String> e : entries) {
      if (index.containsKey(e.getKey())) {
        return deduplicated(entries);
      }
      index.put(e.getKey(), e.getValue());
    }
    return new FrozenContext(entries, index);
  }

  private static FrozenContext deduplicated(Entry<String, String>[] entries) {
    LinkedHashMap<String, String> distinct = new LinkedHashMap<>();
    for (Entry<String, String> e : entries) {
      distinct.put(e.getKey(), e.getValue());
    }
    Entry<String, String>[] pairs = newPairs(distinct.size());
    int i = 0;
    for (Entry<String, String> e : distinct.entrySet()) {
      pairs[i++] = pair(e.getKey(), e.getValue());
    }
    return freeze(pairs);
  }

  /** {@code context} itself if it is frozen, else an immutable copy of it. */
  public static Map<String, String> of(Map<String, String> context) {
    if (context instanceof FrozenContext) {
      return context;
    }
    if (context.isEmpty()) {
      return EMPTY;
    }
    // One pass over the caller's map: what it yields then is what is frozen, whatever it does
    // after.
    Entry<String, String>[] pairs = newPairs(context.size());
    int n = 0;
    for (Entry<String, String> e : context.entrySet()) {
      if (n == pairs.length) {
        pairs = Arrays.copyOf(pairs, 2 * n + 1);
      }
      pairs[n++] = pair(e.getKey(), e.getValue());
    }
    return freeze(n == pairs.length ? pairs : Arrays.copyOf(pairs, n));
  }

  /**
   * Freezes pairs its caller has just made and hands over: no copy, so the caller must not keep or
   * change the array. A repeated key keeps its first position and its last value, so the result
   * then has fewer pairs than the array (which is how a parser finds duplicates).
   */
  public static Map<String, String> adopt(Entry<String, String>[] pairs) {
    return freeze(pairs);
  }

  /**
   * As {@link #adopt}, for pairs parsed from {@code serialization}, which its caller has checked is
   * their canonical serialization (keys in strictly ascending order of their UTF-8 bytes): a reader
   * then never serializes the context again. The bytes are copied.
   */
  public static Map<String, String> adoptCanonical(
      Entry<String, String>[] pairs, byte[] serialization, int offset, int length) {
    FrozenContext c = freeze(pairs);
    if (c != EMPTY) {
      c.serialized = Arrays.copyOfRange(serialization, offset, offset + length);
    }
    return c;
  }

  /**
   * The canonical serialization, computed on first use and shared: callers must not change it
   * ({@link EncryptionContexts#serialize} hands out copies). A context that cannot be serialized
   * throws every time, as it would uncached.
   */
  byte[] serialized() {
    byte[] s = serialized;
    if (s == null) {
      s = EncryptionContexts.serializeNow(this);
      serialized = s;
    }
    return s;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return entrySet;
  }

  /** The entries in order, handed out as they are. */
  private final class EntryView extends AbstractSet<Entry<String, String>> {
    @Override
    public Iterator<Entry<String, String>> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < entries.length;
        }

        @Override
        public Entry<String, String> next() {
          if (next >= entries.length) {
            throw new NoSuchElementException();
          }
          return entries[next++];
        }
      };
    }

    @Override
    public Spliterator<Entry<String, String>> spliterator() {
      return Arrays.spliterator(entries);
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof Entry)) {
        return false;
      }
      Entry<?, ?> e = (Entry<?, ?>) o;
      Object key = e.getKey();
      return containsKey(key) && Objects.equals(get(key), e.getValue());
    }

    @Override
    public int size() {
      return entries.length;
    }
  }

  /** The position of {@code key} in {@link #entries} by scanning, or -1. */
  private int scan(Object key) {
    for (int i = 0; i < entries.length; i++) {
      if (Objects.equals(key, entries[i].getKey())) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String get(Object key) {
    if (index != null) {
      return index.get(key);
    }
    int i = scan(key);
    return i < 0 ? null : entries[i].getValue();
  }

  @Override
  public boolean containsKey(Object key) {
    return index != null ? index.containsKey(key) : scan(key) >= 0;
  }

  @Override
  public int size() {
    return entries.length;
  }

  @Override
  public boolean isEmpty() {
    return entries.length == 0;
  }
}
