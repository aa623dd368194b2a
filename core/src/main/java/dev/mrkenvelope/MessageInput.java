package dev.mrkenvelope;

/**
 * A source of header bytes for the parser: the caller's array for the one-shot API, an input stream
 * for the streaming API. The parser asks for a field's bytes with {@link #take(int)} and reads them
 * in place from {@link #array()}, so no field is copied on the way.
 *
 * <p>Every take is checked against the header size limit first (a length field that points past it
 * fails before anything is read or allocated) and then against what the source really holds.
 */
abstract class MessageInput {
  private final DecryptLimits limits;

  /** Bytes taken so far. */
  int pos;

  MessageInput(DecryptLimits limits) {
    this.limits = limits;
  }

  /**
   * Makes the next {@code n} bytes available and moves past them.
   *
   * @return the offset of those bytes in {@link #array()}
   * @throws LimitExceededException if the header would grow past its size limit
   * @throws DecryptionFailedException if the source ends first
   */
  final int take(int n) {
    limits.checkHeaderSize((long) pos + n);
    int at = pos;
    fill(n);
    pos = at + n;
    return at;
  }

  /** Makes {@code array()[pos, pos+n)} hold the next {@code n} bytes of the source. */
  abstract void fill(int n);

  /** The array the taken bytes are in; for a stream it may be replaced by the next take. */
  abstract byte[] array();

  /**
   * Whether {@link #array()} belongs to the parser and may be kept by the parsed header (a stream's
   * buffer), rather than to the caller (whose array must not be referenced by values the caller
   * gets back).
   */
  abstract boolean ownsArray();

  /** Bytes taken so far: the header's length once it is parsed. */
  final int position() {
    return pos;
  }

  final int readU8() {
    int at = take(1); // before array(): a stream's take may replace the array
    return array()[at] & 0xFF;
  }

  final int readU16() {
    int at = take(2);
    return BigEndian.u16(array(), at);
  }

  final long readU32() {
    int at = take(4);
    return BigEndian.u32(array(), at);
  }
}
