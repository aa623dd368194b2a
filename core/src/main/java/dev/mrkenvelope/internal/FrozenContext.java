package dev.mrkenvelope.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
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
 * context is iterated several times per message).
 */
public final class FrozenContext extends AbstractMap<String, String> {
  private static final FrozenContext EMPTY =
      new FrozenContext(Collections.emptyMap(), newEntries(0));

  /** For lookups; never handed out. */
  private final Map<String, String> map;

  private final Entry<String, String>[] entries;

  /** {@link Collections#unmodifiableSet} refuses every change, even to an empty set. */
  private final Set<Entry<String, String>> entrySet = Collections.unmodifiableSet(new EntryView());

  /** The canonical serialization, once computed; volatile so that a reader sees its bytes. */
  private volatile byte[] serialized;

  private FrozenContext(Map<String, String> privateMap, Entry<String, String>[] entries) {
    this.map = privateMap;
    this.entries = entries;
  }

  private static FrozenContext freeze(LinkedHashMap<String, String> owned) {
    if (owned.isEmpty()) {
      return EMPTY;
    }
    Entry<String, String>[] entries = newEntries(owned.size());
    int i = 0;
    for (Entry<String, String> e : owned.entrySet()) {
      // Immutable, and null-tolerant as the map is: validation names a null key or value later.
      entries[i++] = new SimpleImmutableEntry<>(e.getKey(), e.getValue());
    }
    return new FrozenContext(owned, entries);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Entry<String, String>[] newEntries(int n) {
    return new Entry[n];
  }

  /** {@code context} itself if it is frozen, else an immutable copy of it. */
  public static Map<String, String> of(Map<String, String> context) {
    if (context instanceof FrozenContext) {
      return context;
    }
    if (context.isEmpty()) {
      return EMPTY;
    }
    return freeze(new LinkedHashMap<>(context));
  }

  /**
   * Freezes a map its caller has just built and hands over: no copy, so the caller must not keep or
   * change it.
   */
  public static Map<String, String> adopt(LinkedHashMap<String, String> fresh) {
    return freeze(fresh);
  }

  /**
   * As {@link #adopt}, for a map parsed from {@code serialization}, which its caller has checked is
   * the canonical serialization of {@code fresh} (keys in strictly ascending order of their UTF-8
   * bytes): a reader then never serializes the context again. The bytes are copied.
   */
  public static Map<String, String> adoptCanonical(
      LinkedHashMap<String, String> fresh, byte[] serialization, int offset, int length) {
    FrozenContext c = freeze(fresh);
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
      return map.containsKey(key) && Objects.equals(map.get(key), e.getValue());
    }

    @Override
    public int size() {
      return entries.length;
    }
  }

  @Override
  public String get(Object key) {
    return map.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return map.containsKey(key);
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
