package dev.mrkenvelope;

/** A {@link MessageInput} over the caller's array, which holds the message from offset 0. */
final class ByteArrayInput extends MessageInput {
  private final byte[] b;

  ByteArrayInput(byte[] b, DecryptLimits limits) {
    super(limits);
    this.b = b;
  }

  @Override
  void fill(int n) {
    if (n > b.length - pos) {
      throw Malformed.failure();
    }
  }

  @Override
  byte[] array() {
    return b;
  }

  @Override
  boolean ownsArray() {
    return false;
  }
}
