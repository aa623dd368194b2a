package dev.mrkenvelope.internal;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable encryption context in insertion order that this library made itself. Requests and
 * materials copy the map a caller hands them, so that a later change by the caller cannot reach a
 * message; a context that is already frozen is passed on as it is, which spares the copies the same
 * context would otherwise go through between the header, the request and the materials of every
 * message.
 */
public final class FrozenContext extends AbstractMap<String, String> {
  private static final FrozenContext EMPTY = new FrozenContext(Collections.emptyMap());

  private final Map<String, String> map;

  /** The canonical serialization, once computed; volatile so that a reader sees its bytes. */
  private volatile byte[] serialized;

  private FrozenContext(Map<String, String> readOnly) {
    this.map = readOnly;
  }

  /** {@code context} itself if it is frozen, else an immutable copy of it. */
  public static Map<String, String> of(Map<String, String> context) {
    if (context instanceof FrozenContext) {
      return context;
    }
    if (context.isEmpty()) {
      return EMPTY;
    }
    return new FrozenContext(Collections.unmodifiableMap(new LinkedHashMap<>(context)));
  }

  /**
   * Freezes a map its caller has just built and hands over: no copy, so the caller must not keep or
   * change it.
   */
  public static Map<String, String> adopt(LinkedHashMap<String, String> fresh) {
    return fresh.isEmpty() ? EMPTY : new FrozenContext(Collections.unmodifiableMap(fresh));
  }

  /**
   * The canonical serialization, computed on first use and shared: callers must not change it
   * ({@link EncryptionContexts#serialize} hands out copies). A context that cannot be serialized
   * throws every time, as it would uncached.
   */
  byte[] serialized() {
    byte[] s = serialized;
    if (s == null) {
      s = EncryptionContexts.serializeNow(map);
      serialized = s;
    }
    return s;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return map.entrySet();
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
    return map.size();
  }

  @Override
  public boolean isEmpty() {
    return map.isEmpty();
  }
}
