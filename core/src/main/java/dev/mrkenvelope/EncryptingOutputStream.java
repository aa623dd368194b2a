package dev.mrkenvelope;

import dev.mrkenvelope.materials.EncryptionMaterials;
import java.io.IOException;
import java.io.OutputStream;
import java.security.Signature;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts what is written into one message on the sink, in memory proportional to one frame.
 *
 * <p>When bytes reach the sink: the header with the first frame (or on {@code close()} for an empty
 * plaintext — an empty message still has a header and an empty final frame); a regular frame once a
 * full frame is buffered and one more byte arrives (so a plaintext that is an exact multiple of the
 * frame length ends in a full final frame, exactly like the byte[] API); the final frame and, for
 * signing suites, the footer on {@link #close()}. {@link #flush()} flushes the sink but cannot emit
 * a partial frame: frames other than the last are always full.
 *
 * <p>If a plaintext-length hint was given, writing more than that throws {@link IOException}: the
 * materials (and a caching manager's byte limits) were obtained for at most that many bytes.
 *
 * <p>Not thread-safe. Writing after {@code close()} throws {@link IOException}.
 */
final class EncryptingOutputStream extends OutputStream {
  /** A frame plus its 32 bytes of framing must fit in one array. */
  static final int MAX_BUFFER = Integer.MAX_VALUE - 64;

  private final OutputStream sink;
  private final EncryptionMaterials materials;
  private final int frameLength;
  private MessageCrypto.Header header;
  private Signature signer;
  private byte[] buffer;
  private int buffered;
  private long seq = 1;
  private byte[] frameOut;
  private FrameCodec frames;
  private boolean closed;
  private boolean failed;
  private final long lengthLimit;
  private long written;
  private final ClientMetrics metrics;
  private final long startNanos;

  EncryptingOutputStream(
      OutputStream sink,
      EncryptionMaterials materials,
      int frameLength,
      long lengthLimit,
      ClientMetrics metrics,
      long startNanos) {
    this.sink = sink;
    this.materials = materials;
    this.frameLength = frameLength;
    this.lengthLimit = lengthLimit;
    this.metrics = metrics;
    this.startNanos = startNanos;
    this.buffer = new byte[Math.min(frameLength, 1 << 16)];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    if (lengthLimit >= 0 && len > lengthLimit - written) {
      // The materials (and a cache's byte accounting) were obtained for at most this many bytes.
      IOException e =
          new IOException(
              "more plaintext written than the plaintextLengthHint of "
                  + lengthLimit
                  + " bytes; pass the exact or a larger hint, or -1 if the length is unknown");
      markFailed(e);
      throw e;
    }
    written += len;
    try {
      while (len > 0) {
        if (buffered == frameLength) {
          // A full frame and more data coming: it is a regular frame.
          emitRegularFrame();
        }
        int n = Math.min(len, frameLength - buffered);
        if ((long) buffered + n > MAX_BUFFER) {
          throw new IOException(
              "frameLength "
                  + frameLength
                  + " is too large to buffer one frame in memory; use a"
                  + " frame length of at most "
                  + MAX_BUFFER
                  + " for streams");
        }
        if (buffered + n > buffer.length) {
          buffer =
              Arrays.copyOf(
                  buffer, (int) Math.min(frameLength, Math.max(buffered + n, 2L * buffer.length)));
        }
        System.arraycopy(b, off, buffer, buffered, n);
        buffered += n;
        off += n;
        len -= n;
      }
    } catch (IOException | RuntimeException e) {
      markFailed(e);
      throw e;
    }
  }

  /** The message on the sink is incomplete: nothing more is written, the failure is timed once. */
  private void markFailed(Exception e) {
    if (!failed && metrics != null) {
      metrics.failure(ClientMetrics.ENCRYPT, e, startNanos);
    }
    failed = true;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("the encrypting stream is closed; open a new one for another message");
    }
    if (failed) {
      throw new IOException(
          "the encrypting stream failed earlier; the message on the sink is incomplete");
    }
  }

  private void startIfNeeded() throws IOException {
    if (header != null) {
      return;
    }
    header = MessageCrypto.prepareHeader(materials, frameLength);
    if (materials.algorithmSuite().isSigning()) {
      signer = Footer.signer(materials, true);
    }
    frames = new FrameCodec(header.key, header.messageId, frameLength);
    byte[] headerBytes = new byte[header.length];
    header.writeTo(headerBytes);
    emit(headerBytes, 0, headerBytes.length);
  }

  private void emit(byte[] b, int off, int len) throws IOException {
    if (signer != null) {
      Footer.update(signer, b, off, len);
    }
    sink.write(b, off, len);
  }

  private void emitRegularFrame() throws IOException {
    startIfNeeded();
    if (seq >= FrameCodec.MAX_FRAMES) {
      throw new EnvelopeException(
          "a message holds at most 2^32-1 frames; use a larger frameLength");
    }
    if (frameOut == null) {
      frameOut = new byte[FrameCodec.REGULAR_HEADER + frameLength + FrameCodec.TAG_LENGTH];
    }
    int n = frames.sealRegular(seq, buffer, 0, frameLength, frameOut, 0);
    emit(frameOut, 0, n);
    buffered = 0;
    seq++;
  }

  /** Flushes the sink. Buffered plaintext stays buffered until its frame is complete. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    sink.flush();
  }

  /** Writes the final frame and the footer, then closes the sink. Idempotent. */
  @Override
  @SuppressWarnings("try") // the try only closes the sink, whatever happens inside
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream s = sink) {
      if (failed) {
        return;
      }
      startIfNeeded();
      byte[] out = new byte[FrameCodec.FINAL_HEADER + buffered + FrameCodec.TAG_LENGTH];
      emit(out, 0, frames.sealFinal(seq, buffer, 0, buffered, out, 0));
      if (signer != null) {
        sink.write(Footer.sign(signer));
      }
      if (metrics != null) {
        metrics.success(ClientMetrics.ENCRYPT, startNanos);
      }
    } catch (IOException | RuntimeException e) {
      markFailed(e);
      throw e;
    } finally {
      Arrays.fill(buffer, (byte) 0);
      if (frameOut != null) {
        Arrays.fill(frameOut, (byte) 0);
      }
    }
  }
}
