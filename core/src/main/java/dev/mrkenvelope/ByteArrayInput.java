package dev.mrkenvelope;

/** A {@link MessageInput} over the caller's array, which holds the message from offset 0. */
final class ByteArrayInput implements MessageInput {
  private final byte[] b;
  private final DecryptLimits limits;
  private int pos;

  ByteArrayInput(byte[] b, DecryptLimits limits) {
    this.b = b;
    this.limits = limits;
  }

  @Override
  public int take(int n) {
    limits.checkHeaderSize((long) pos + n);
    if (n > b.length - pos) {
      throw Malformed.failure();
    }
    int at = pos;
    pos += n;
    return at;
  }

  @Override
  public byte[] array() {
    return b;
  }

  @Override
  public int position() {
    return pos;
  }

  @Override
  public boolean ownsArray() {
    return false;
  }
}
