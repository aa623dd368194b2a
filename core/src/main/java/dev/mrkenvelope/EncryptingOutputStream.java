package dev.mrkenvelope;

import dev.mrkenvelope.internal.AesGcm;
import dev.mrkenvelope.internal.Ecdsa;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.io.IOException;
import java.io.OutputStream;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts what is written into one message on the sink, in memory proportional to one frame.
 *
 * <p>When bytes reach the sink: the header with the first frame (or on {@code close()} for an
 * empty plaintext — an empty message still has a header and an empty final frame); a regular frame
 * once a full frame is buffered and one more byte arrives (so a plaintext that is an exact
 * multiple of the frame length ends in a full final frame, exactly like the byte[] API); the final
 * frame and, for signing suites, the footer on {@link #close()}. {@link #flush()} flushes the sink
 * but cannot emit a partial frame: frames other than the last are always full.
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
  private MessageCrypto.HeaderAndKey header;
  private Signature signer;
  private byte[] buffer;
  private int buffered;
  private long seq = 1;
  private byte[] frameOut;
  private byte[] aad;
  private final byte[] iv = new byte[12];
  private boolean closed;
  private boolean failed;
  private final long lengthLimit;
  private long written;

  EncryptingOutputStream(
      OutputStream sink, EncryptionMaterials materials, int frameLength, long lengthLimit) {
    this.sink = sink;
    this.materials = materials;
    this.frameLength = frameLength;
    this.lengthLimit = lengthLimit;
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
      failed = true;
      throw new IOException(
          "more plaintext written than the plaintextLengthHint of " + lengthLimit
              + " bytes; pass the exact or a larger hint, or -1 if the length is unknown");
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
              "frameLength " + frameLength + " is too large to buffer one frame in memory; use a"
                  + " frame length of at most " + MAX_BUFFER + " for streams");
        }
        if (buffered + n > buffer.length) {
          buffer = Arrays.copyOf(buffer, (int) Math.min(frameLength, Math.max(buffered + n, 2L * buffer.length)));
        }
        System.arraycopy(b, off, buffer, buffered, n);
        buffered += n;
        off += n;
        len -= n;
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("the encrypting stream is closed; open a new one for another message");
    }
    if (failed) {
      throw new IOException("the encrypting stream failed earlier; the message on the sink is incomplete");
    }
  }

  private void startIfNeeded() throws IOException {
    if (header != null) {
      return;
    }
    header = MessageCrypto.writeHeader(materials, frameLength);
    if (materials.algorithmSuite().isSigning()) {
      signer = Ecdsa.forSuite(materials.algorithmSuite()).newSignature();
      try {
        signer.initSign(materials.signingKey().orElseThrow(), dev.mrkenvelope.internal.SecureRandoms.get());
      } catch (java.security.GeneralSecurityException e) {
        throw new EnvelopeException("cannot initialise the message signature: " + e.getMessage(), e);
      }
    }
    aad = Body.aad(header.messageId, Body.FRAME_LABEL, 0, frameLength);
    emit(header.header, 0, header.header.length);
  }

  private void emit(byte[] b, int off, int len) throws IOException {
    if (signer != null) {
      try {
        signer.update(b, off, len);
      } catch (SignatureException e) {
        throw new IllegalStateException(e);
      }
    }
    sink.write(b, off, len);
  }

  private void emitRegularFrame() throws IOException {
    startIfNeeded();
    if (seq >= Body.MAX_FRAMES) {
      throw new EnvelopeException("a message holds at most 2^32-1 frames; use a larger frameLength");
    }
    if (frameOut == null) {
      frameOut = new byte[16 + frameLength + 16];
    }
    Body.putU32(frameOut, 0, seq);
    Body.putU32(iv, 8, seq);
    System.arraycopy(iv, 0, frameOut, 4, 12);
    Body.putU32(aad, header.messageId.length + Body.FRAME_LABEL.length, seq);
    AesGcm.encrypt(header.key, iv, aad, buffer, 0, frameLength, frameOut, 16);
    emit(frameOut, 0, frameOut.length);
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
      byte[] out = new byte[24 + buffered + 16];
      Body.putU32(out, 0, Body.FINAL_FRAME_MARKER);
      Body.putU32(out, 4, seq);
      Body.putU32(iv, 8, seq);
      System.arraycopy(iv, 0, out, 8, 12);
      Body.putU32(out, 20, buffered);
      byte[] finalAad = Body.aad(header.messageId, Body.FINAL_FRAME_LABEL, seq, buffered);
      AesGcm.encrypt(header.key, iv, finalAad, buffer, 0, buffered, out, 24);
      emit(out, 0, out.length);
      if (signer != null) {
        byte[] sig;
        try {
          sig = signer.sign();
        } catch (SignatureException e) {
          throw new EnvelopeException("signing the message failed: " + e.getMessage(), e);
        }
        byte[] footer = new byte[2 + sig.length];
        Body.putU16(footer, 0, sig.length);
        System.arraycopy(sig, 0, footer, 2, sig.length);
        sink.write(footer);
      }
    } finally {
      Arrays.fill(buffer, (byte) 0);
      if (frameOut != null) {
        Arrays.fill(frameOut, (byte) 0);
      }
    }
  }
}
