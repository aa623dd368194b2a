package dev.mrkenvelope;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A {@link MessageInput} over a stream that remembers every header byte it consumed (the header
 * tag and the signature cover them). It allocates only as bytes actually arrive, in chunks, so a
 * length field cannot make it allocate more than the sender really sent.
 */
final class StreamInput implements MessageInput {
  private static final int CHUNK = 8192;

  private final InputStream in;
  private byte[] consumed = new byte[512];
  private int pos;

  StreamInput(InputStream in) {
    this.in = in;
  }

  /**
   * The largest header a stream will buffer. Far above real headers (a KMS EDK is a few hundred
   * bytes), it stops a hostile stream from growing the buffer toward 2 GiB; set
   * maxEncryptedDataKeys to bound headers more tightly.
   */
  static final int MAX_HEADER_LENGTH = 64 << 20;

  @Override
  public byte[] readBytes(int n) {
    if (n < 0 || (long) pos + n > MAX_HEADER_LENGTH) {
      throw Malformed.failure();
    }
    int start = pos;
    int need = pos + n;
    while (pos < need) {
      int want = Math.min(need - pos, CHUNK);
      if (pos + want > consumed.length) {
        consumed = Arrays.copyOf(consumed, Math.max(pos + want, consumed.length * 2));
      }
      int r;
      try {
        r = in.read(consumed, pos, want);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (r < 0) {
        throw Malformed.failure();
      }
      pos += r;
    }
    return Arrays.copyOfRange(consumed, start, need);
  }

  @Override
  public int position() {
    return pos;
  }

  @Override
  public byte[] copyConsumed(int from) {
    return Arrays.copyOfRange(consumed, from, pos);
  }

  /** Everything read so far (the whole header, once parsed). */
  byte[] all() {
    return Arrays.copyOf(consumed, pos);
  }
}
