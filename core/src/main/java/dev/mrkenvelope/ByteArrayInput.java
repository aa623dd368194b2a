package dev.mrkenvelope;

import java.util.Arrays;

/** A {@link MessageInput} over an array; every read is checked against what remains. */
final class ByteArrayInput implements MessageInput {
  private final byte[] b;
  private int pos;

  ByteArrayInput(byte[] b, int pos) {
    this.b = b;
    this.pos = pos;
  }

  @Override
  public byte[] readBytes(int n) {
    if (n < 0 || n > b.length - pos) {
      throw Malformed.failure();
    }
    byte[] out = Arrays.copyOfRange(b, pos, pos + n);
    pos += n;
    return out;
  }

  @Override
  public int readU8() {
    if (pos >= b.length) {
      throw Malformed.failure();
    }
    return b[pos++] & 0xFF;
  }

  @Override
  public int readU16() {
    if (b.length - pos < 2) {
      throw Malformed.failure();
    }
    int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  @Override
  public long readU32() {
    if (b.length - pos < 4) {
      throw Malformed.failure();
    }
    long v = Body.u32(b, pos);
    pos += 4;
    return v;
  }

  @Override
  public int position() {
    return pos;
  }

  @Override
  public byte[] copyConsumed(int from) {
    return Arrays.copyOfRange(b, from, pos);
  }
}
