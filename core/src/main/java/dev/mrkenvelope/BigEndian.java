package dev.mrkenvelope;

/** Reads and writes the message format's unsigned big-endian integers in byte arrays. */
final class BigEndian {
  private BigEndian() {}

  static int u16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  static long u32(byte[] b, int p) {
    return ((long) (b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  /** A u64 as a signed long: values of 2^63 and more come out negative. */
  static long u64(byte[] b, int p) {
    return (u32(b, p) << 32) | u32(b, p + 4);
  }

  static void putU16(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 8);
    b[p + 1] = (byte) v;
  }

  static void putU32(byte[] b, int p, long v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  static void putU64(byte[] b, int p, long v) {
    putU32(b, p, v >>> 32);
    putU32(b, p + 4, v);
  }
}
