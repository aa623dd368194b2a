package dev.mrkenvelope;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A {@link MessageInput} over a stream, keeping every header byte it consumed in one buffer (the
 * header tag and the signature cover them, and the parsed header's fields are read from it in
 * place). The buffer grows only as bytes actually arrive, in chunks, and never beyond the header
 * size limit, so a length field cannot make it allocate more than the sender really sent.
 */
final class StreamInput implements MessageInput {
  private static final int INITIAL = 512;
  private static final int CHUNK = 8192;

  private final InputStream in;
  private final DecryptLimits limits;
  private byte[] buffer;
  private int pos;

  StreamInput(InputStream in, DecryptLimits limits) {
    this.in = in;
    this.limits = limits;
    this.buffer = new byte[Math.min(INITIAL, limits.maxHeaderSize)];
  }

  @Override
  public int take(int n) {
    limits.checkHeaderSize((long) pos + n);
    int start = pos;
    int need = pos + n;
    while (pos < need) {
      int want = Math.min(need - pos, CHUNK);
      if (pos + want > buffer.length) {
        int grown = (int) Math.min(limits.maxHeaderSize, Math.max(pos + want, 2L * buffer.length));
        buffer = Arrays.copyOf(buffer, grown);
      }
      int r;
      try {
        r = in.read(buffer, pos, want);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (r < 0) {
        throw Malformed.failure();
      }
      pos += r;
    }
    return start;
  }

  @Override
  public byte[] array() {
    return buffer;
  }

  @Override
  public int position() {
    return pos;
  }

  @Override
  public boolean ownsArray() {
    return true;
  }
}
