package dev.mrkenvelope.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The canonical encryption-context serialization of the ESDK format ({@code SerEC}): empty for an
 * empty map, otherwise {@code u16 count ‖ (u16 keyLen ‖ key ‖ u16 valueLen ‖ value)*} with entries
 * sorted by the unsigned bytes of their UTF-8 keys (not by {@link String#compareTo}, which orders
 * supplementary characters differently).
 */
public final class EncryptionContexts {
  /** Keys with this prefix are reserved for the format itself. */
  public static final String RESERVED_PREFIX = "aws-crypto-";

  /** ESDK-Java refuses to read a serialized context, key or value larger than this. */
  public static final int MAX_JAVA_INTEROP_LENGTH = Short.MAX_VALUE;

  private EncryptionContexts() {}

  /**
   * Serializes {@code ec} canonically; throws IAE for strings that are not valid UTF-16. A {@link
   * FrozenContext} is serialized once and copied after that: the keyring's AAD and the header of
   * the same message (and a cache's identifier) need the same bytes.
   */
  public static byte[] serialize(Map<String, String> ec) {
    if (ec instanceof FrozenContext) {
      return ((FrozenContext) ec).serialized().clone();
    }
    return serializeNow(ec);
  }

  /** The serialization itself, never cached. */
  static byte[] serializeNow(Map<String, String> ec) {
    byte[] ascii = serializeSmallAscii(ec);
    return ascii != null ? ascii : serializeAny(ec);
  }

  /** The most pairs {@link #serializeSmallAscii} takes. */
  static final int SMALL = 8;

  /**
   * The usual context, a few pairs of ASCII strings, serialized without encoders or index arrays;
   * null for any other, which {@link #serializeAny} then serializes (or rejects, naming the
   * problem).
   */
  @SuppressWarnings(
      "deprecation") // getBytes(int, int, byte[], int) copies low bytes: exact for ASCII
  static byte[] serializeSmallAscii(Map<String, String> ec) {
    int n = ec.size();
    if (n == 0 || n > SMALL) {
      return null;
    }
    String[] kv = new String[2 * n];
    int i = 0;
    int total = 2;
    for (Map.Entry<String, String> e : ec.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (i == kv.length || !isAscii(k) || !isAscii(v)) {
        return null;
      }
      kv[i++] = k;
      kv[i++] = v;
      total += 4 + k.length() + v.length();
    }
    if (i != kv.length || total > 0xFFFF) {
      return null;
    }
    // Insertion sort of the pairs by key: ASCII strings compare as their bytes do.
    for (int a = 2; a < kv.length; a += 2) {
      String k = kv[a];
      String v = kv[a + 1];
      int b = a - 2;
      for (; b >= 0 && kv[b].compareTo(k) > 0; b -= 2) {
        kv[b + 2] = kv[b];
        kv[b + 3] = kv[b + 1];
      }
      kv[b + 2] = k;
      kv[b + 3] = v;
    }
    byte[] out = new byte[total];
    out[0] = (byte) (n >>> 8);
    out[1] = (byte) n;
    int p = 2;
    for (String s : kv) {
      int len = s.length();
      out[p] = (byte) (len >>> 8);
      out[p + 1] = (byte) len;
      s.getBytes(0, len, out, p + 2);
      p += 2 + len;
    }
    return out;
  }

  private static boolean isAscii(String s) {
    if (s == null) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Any context: UTF-8 encoded, sorted by the encoded keys; checks every length. */
  static byte[] serializeAny(Map<String, String> ec) {
    if (ec.isEmpty()) {
      return new byte[0];
    }
    int n = ec.size();
    byte[][] keys = new byte[n][];
    byte[][] values = new byte[n][];
    Integer[] order = new Integer[n];
    int i = 0;
    int total = 2;
    for (Map.Entry<String, String> e : ec.entrySet()) {
      keys[i] = utf8(e.getKey());
      values[i] = utf8(e.getValue());
      if (keys[i].length > 0xFFFF || values[i].length > 0xFFFF) {
        throw new IllegalArgumentException(
            "encryption context key or value longer than 65535 UTF-8 bytes: key starts '"
                + abbreviate(e.getKey())
                + "'");
      }
      total += 4 + keys[i].length + values[i].length;
      order[i] = i;
      i++;
    }
    if (n > 0xFFFF || total > 0xFFFF) { // the header stores the whole serialization's length
      throw new IllegalArgumentException(
          "encryption context serializes to " + total + " bytes; the format allows at most 65535");
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
    byte[] out = new byte[total];
    int p = 0;
    out[p++] = (byte) (n >>> 8);
    out[p++] = (byte) n;
    for (int k = 0; k < n; k++) {
      byte[] key = keys[order[k]];
      byte[] value = values[order[k]];
      p = putLengthPrefixed(out, p, key);
      p = putLengthPrefixed(out, p, value);
    }
    return out;
  }

  private static int putLengthPrefixed(byte[] out, int p, byte[] b) {
    out[p++] = (byte) (b.length >>> 8);
    out[p++] = (byte) b.length;
    System.arraycopy(b, 0, out, p, b.length);
    return p + b.length;
  }

  /**
   * Checks a caller-supplied context for encryption: no reserved keys, non-empty keys and values,
   * valid Unicode, and within the limits ESDK-Java can read back.
   *
   * @throws IllegalArgumentException naming the offending key and the rule
   */
  public static void validateForEncrypt(Map<String, String> ec) {
    int total = ec.isEmpty() ? 0 : 2;
    for (Map.Entry<String, String> e : ec.entrySet()) {
      total += 4 + checkedLengths(e.getKey(), e.getValue());
    }
    if (total > MAX_JAVA_INTEROP_LENGTH) {
      throw new IllegalArgumentException(
          "encryption context serializes to "
              + total
              + " bytes; keep it within 32767 so every ESDK reader accepts it");
    }
  }

  /** One pair's UTF-8 key and value lengths, summed, after the checks of validateForEncrypt. */
  private static int checkedLengths(String key, String value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException("encryption context keys and values must not be null");
    }
    if (key.startsWith(RESERVED_PREFIX)) {
      throw new IllegalArgumentException(
          "encryption context key '"
              + abbreviate(key)
              + "' uses the reserved prefix '"
              + RESERVED_PREFIX
              + "'; rename the key");
    }
    if (key.isEmpty() || value.isEmpty()) {
      throw new IllegalArgumentException(
          "encryption context keys and values must not be empty (other ESDK readers reject"
              + " them): key '"
              + abbreviate(key)
              + "'");
    }
    int kl = utf8Length(key);
    int vl = utf8Length(value);
    if (kl > MAX_JAVA_INTEROP_LENGTH || vl > MAX_JAVA_INTEROP_LENGTH) {
      throw new IllegalArgumentException(
          "encryption context key or value over 32767 UTF-8 bytes (ESDK-Java cannot read it):"
              + " key '"
              + abbreviate(key)
              + "'");
    }
    return kl + vl;
  }

  /**
   * The length of {@link #utf8}{@code (s)} without encoding it: every encrypt checks its context's
   * lengths before the serialization encodes the same strings.
   *
   * @throws IllegalArgumentException for a lone surrogate, as {@link #utf8} does
   */
  static int utf8Length(String s) {
    int n = s.length();
    int len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        len += 1;
      } else if (!Character.isSurrogate(c)) {
        len += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        len += 2; // the pair's two chars become four bytes
        i++;
      } else {
        throw new IllegalArgumentException(
            "encryption context string is not valid Unicode (lone surrogate?): '"
                + abbreviate(s)
                + "'");
      }
    }
    return len;
  }

  /** Strict UTF-8 encoding: a lone surrogate is an error, never a silent '?'. */
  public static byte[] utf8(String s) {
    // Fast path: pure ASCII needs no encoder.
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
    CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder(); // reports errors: never replaces
    try {
      ByteBuffer bb = enc.encode(CharBuffer.wrap(s));
      byte[] out = new byte[bb.remaining()];
      bb.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "encryption context string is not valid Unicode (lone surrogate?): '"
              + abbreviate(s)
              + "'");
    }
  }

  /**
   * Strict UTF-8 decoding for parsers.
   *
   * @return the string, or {@code null} if the bytes are not valid UTF-8
   */
  public static String decodeUtf8OrNull(byte[] b, int off, int len) {
    boolean ascii = true;
    for (int i = off; i < off + len; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Checked above: every byte is ASCII, which Latin-1 decodes as it is, without a second scan.
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder(); // reports errors: never replaces
    try {
      return dec.decode(ByteBuffer.wrap(b, off, len)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
