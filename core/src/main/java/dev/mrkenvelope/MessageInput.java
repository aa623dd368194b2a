package dev.mrkenvelope;

/**
 * A source of message bytes for the header parser: a byte array for the one-shot API, an input
 * stream for the streaming API. Every read is bounded by what the caller asked for, and the
 * stream variant never allocates more than it has actually received, so a hostile length field
 * cannot force a large allocation.
 */
interface MessageInput {

  /** Reads exactly {@code n} bytes or throws {@link DecryptionFailedException}. */
  byte[] readBytes(int n);

  default int readU8() {
    return readBytes(1)[0] & 0xFF;
  }

  default int readU16() {
    byte[] b = readBytes(2);
    return ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
  }

  default long readU32() {
    byte[] b = readBytes(4);
    return ((long) (b[0] & 0xFF) << 24)
        | ((b[1] & 0xFF) << 16)
        | ((b[2] & 0xFF) << 8)
        | (b[3] & 0xFF);
  }

  /** Bytes consumed so far. */
  int position();

  /** A copy of the bytes consumed from {@code from} to the current position. */
  byte[] copyConsumed(int from);
}
