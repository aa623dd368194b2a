package dev.mrkenvelope.jose;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Converts ECDSA signatures between DER, as KMS and the JCA make them ({@code SEQUENCE {INTEGER r,
 * INTEGER s}}), and the JOSE form (RFC 7518 §3.4): {@code r} and {@code s} as unsigned big-endian
 * numbers, each left-padded to the curve's byte length, concatenated.
 *
 * <p>The DER reader is strict (definite minimal lengths, minimal positive integers, nothing after
 * the sequence) and bounded by the input's length; it never allocates more than the input.
 */
final class EcdsaSignatures {
  private EcdsaSignatures() {}

  /**
   * DER to JOSE {@code r‖s}, each {@code n} bytes.
   *
   * @throws IllegalArgumentException if {@code der} is not a DER ECDSA signature with {@code r} and
   *     {@code s} that fit in {@code n} bytes
   */
  static byte[] derToConcat(byte[] der, int n) {
    int[] pos = {0};
    expect(der, pos, 0x30, "a SEQUENCE");
    int seqLength = length(der, pos);
    if (seqLength != der.length - pos[0]) {
      throw new IllegalArgumentException(
          "the DER sequence is " + seqLength + " bytes, but " + (der.length - pos[0]) + " follow");
    }
    byte[] out = new byte[2 * n];
    integer(der, pos, out, 0, n, "r");
    integer(der, pos, out, n, n, "s");
    if (pos[0] != der.length) {
      throw new IllegalArgumentException("bytes follow the second INTEGER in the DER sequence");
    }
    return out;
  }

  /**
   * JOSE {@code r‖s} to DER.
   *
   * @throws IllegalArgumentException if the length is odd or zero
   */
  static byte[] concatToDer(byte[] concat) {
    if (concat.length == 0 || concat.length % 2 != 0) {
      throw new IllegalArgumentException(
          "a JOSE ECDSA signature has two equal halves; got " + concat.length + " bytes");
    }
    int n = concat.length / 2;
    byte[] r = minimalPositive(Arrays.copyOfRange(concat, 0, n));
    byte[] s = minimalPositive(Arrays.copyOfRange(concat, n, 2 * n));
    ByteArrayOutputStream body = new ByteArrayOutputStream(r.length + s.length + 6);
    writeTlv(body, 0x02, r);
    writeTlv(body, 0x02, s);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 3);
    writeTlv(out, 0x30, body.toByteArray());
    return out.toByteArray();
  }

  private static void expect(byte[] der, int[] pos, int tag, String what) {
    if (pos[0] >= der.length || (der[pos[0]] & 0xff) != tag) {
      throw new IllegalArgumentException("expected " + what + " at byte " + pos[0]);
    }
    pos[0]++;
  }

  /** A DER definite length in its minimal form (at most two length bytes: enough for ECDSA). */
  private static int length(byte[] der, int[] pos) {
    if (pos[0] >= der.length) {
      throw new IllegalArgumentException("the DER ends before a length");
    }
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    if (first != 0x81) {
      throw new IllegalArgumentException(
          "DER length form 0x" + Integer.toHexString(first) + " is not used by ECDSA signatures");
    }
    if (pos[0] >= der.length) {
      throw new IllegalArgumentException("the DER ends inside a length");
    }
    int value = der[pos[0]++] & 0xff;
    if (value < 0x80) {
      throw new IllegalArgumentException("the DER length " + value + " is not in minimal form");
    }
    return value;
  }

  /** Reads a positive minimal INTEGER into {@code out[off..off+n)}, right-aligned. */
  private static void integer(byte[] der, int[] pos, byte[] out, int off, int n, String name) {
    expect(der, pos, 0x02, "an INTEGER (" + name + ")");
    int len = length(der, pos);
    if (len == 0 || len > der.length - pos[0]) {
      throw new IllegalArgumentException(
          "the INTEGER " + name + " has an impossible length " + len);
    }
    int start = pos[0];
    if ((der[start] & 0x80) != 0) {
      throw new IllegalArgumentException("the INTEGER " + name + " is negative");
    }
    if (len > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0) {
      throw new IllegalArgumentException("the INTEGER " + name + " is not in minimal form");
    }
    int skip = der[start] == 0 && len > 1 ? 1 : 0;
    int digits = len - skip;
    if (digits > n) {
      throw new IllegalArgumentException(
          "the INTEGER " + name + " has " + digits + " bytes; the curve allows " + n);
    }
    System.arraycopy(der, start + skip, out, off + n - digits, digits);
    pos[0] = start + len;
  }

  private static byte[] minimalPositive(byte[] unsigned) {
    int i = 0;
    while (i < unsigned.length - 1 && unsigned[i] == 0) {
      i++;
    }
    byte[] digits = Arrays.copyOfRange(unsigned, i, unsigned.length);
    if ((digits[0] & 0x80) == 0) {
      return digits;
    }
    byte[] withSign = new byte[digits.length + 1];
    System.arraycopy(digits, 0, withSign, 1, digits.length);
    return withSign;
  }

  private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] value) {
    out.write(tag);
    if (value.length < 0x80) {
      out.write(value.length);
    } else {
      out.write(0x81);
      out.write(value.length);
    }
    out.writeBytes(value);
  }
}
