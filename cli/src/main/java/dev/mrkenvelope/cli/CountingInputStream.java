package dev.mrkenvelope.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports the bytes read to the progress display. */
final class CountingInputStream extends FilterInputStream {
  private final Progress progress;

  CountingInputStream(InputStream in, Progress progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      progress.addBytes(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      progress.addBytes(n);
    }
    return n;
  }
}
