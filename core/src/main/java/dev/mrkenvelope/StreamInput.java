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
final class StreamInput extends MessageInput {
  private static final int INITIAL = 512;
  private static final int CHUNK = 8192;

  private final InputStream in;
  private final int maxHeaderSize;
  private byte[] buffer;

  StreamInput(InputStream in, DecryptLimits limits) {
    super(limits);
    this.in = in;
    this.maxHeaderSize = limits.maxHeaderSize;
    this.buffer = new byte[Math.min(INITIAL, maxHeaderSize)];
  }

  @Override
  void fill(int n) {
    int end = pos + n; // within maxHeaderSize: take() checked it
    for (int at = pos; at < end; ) {
      int want = Math.min(end - at, CHUNK);
      if (at + want > buffer.length) {
        buffer =
            Arrays.copyOf(
                buffer, (int) Math.min(maxHeaderSize, Math.max(at + want, 2L * buffer.length)));
      }
      int r;
      try {
        r = in.read(buffer, at, want);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (r < 0) {
        throw Malformed.failure();
      }
      at += r;
    }
  }

  @Override
  byte[] array() {
    return buffer;
  }

  @Override
  boolean ownsArray() {
    return true;
  }
}
