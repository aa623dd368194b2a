package dev.mrkenvelope;

import dev.mrkenvelope.materials.DecryptionMaterials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * The plaintext of one message read from a source stream, decrypted in memory proportional to one
 * frame.
 *
 * <p>What is released, and when: a frame's plaintext only after its GCM tag verified; for signed
 * suites the final frame only after the footer signature verified; end of stream ({@code -1}) only
 * after the message ended exactly where the source ended. A message cut anywhere, a frame out of
 * order, a bad tag or signature, or bytes after the message raise {@link DecryptionFailedException}
 * (unchecked) from {@code read}, never a short clean end. Frames of a signed message before the
 * last are released before the signature can be checked; use {@link DecryptOptions#unsignedOnly()}
 * if that matters to you.
 *
 * <p>The header is read on the first {@code read} or on the first call of {@link
 * #encryptionContext()} or {@link #algorithmSuite()}. {@link #close()} closes the source.
 *
 * <pre>{@code
 * try (DecryptingInputStream in = client.decryptingStream(Files.newInputStream(path))) {
 *   if (!"acme".equals(in.encryptionContext().get("tenant"))) throw new SecurityException();
 *   in.transferTo(out);
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class DecryptingInputStream extends InputStream {
  private final InputStream source;
  private final EnvelopeClient client;
  private final DecryptOptions options;
  private final DecryptLimits limits;
  private final ClientMetrics metrics;
  private final long startNanos;

  /** Whether this stream's message was timed already (ended, failed or closed). */
  private boolean timed;

  private MessageHeader header;
  private DecryptionMaterials materials;
  private SecretKeySpec key;
  private Signature verifier;
  private FrameCodec frames;

  private byte[] frame = new byte[0]; // ciphertext‖tag of the frame being read
  private final byte[] head4 = new byte[4];
  private final byte[] iv12 = new byte[12];
  private byte[] plaintext = new byte[0];
  private int plainPos;
  private int plainEnd;
  private long seq = 1;

  /** Plaintext bytes of the frames read so far, for the body size limit. */
  private long bodyBytes;

  private boolean finalDone;
  private boolean eofChecked;
  private boolean closed;
  private RuntimeException failure;

  DecryptingInputStream(InputStream source, EnvelopeClient client, DecryptOptions options) {
    this.source = source;
    this.client = client;
    this.options = options;
    this.limits = client.limits().with(options);
    this.metrics = client.metrics();
    this.startNanos = metrics == null ? 0 : System.nanoTime();
  }

  private void time(String outcome) {
    if (!timed && metrics != null) {
      metrics.record(ClientMetrics.DECRYPT, outcome, startNanos);
    }
    timed = true;
  }

  /**
   * The authenticated encryption context of the message, reading the header first if needed.
   *
   * @throws DecryptionFailedException if the header is not authentic
   * @throws UncheckedIOException if the source fails
   */
  public Map<String, String> encryptionContext() {
    readHeaderIfNeeded();
    return materials.encryptionContext();
  }

  /** The message's algorithm suite, reading the header first if needed. */
  public AlgorithmSuite algorithmSuite() {
    readHeaderIfNeeded();
    return header.suite;
  }

  private void readHeaderIfNeeded() {
    if (header != null) {
      return;
    }
    check();
    try {
      MessageHeader h = HeaderCodec.parse(new StreamInput(source, limits), client.policy(), limits);
      if (options.isUnsignedOnly()) {
        DecryptOptions.checkUnsigned(h.suite);
      }
      DecryptionMaterials m = client.materials().forDecrypt(h, options.reproducedContext());
      key = MessageCrypto.authenticateHeader(h, m);
      if (h.suite.isSigning()) {
        verifier = Footer.verifier(h.suite, m, true);
        Footer.update(verifier, h.bytes, 0, h.totalLength);
      }
      frames = new FrameCodec(key, h.messageId, h.frameLength);
      materials = m;
      header = h;
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private RuntimeException fail(RuntimeException e) {
    failure = e;
    time(ClientMetrics.outcome(e));
    return e;
  }

  private void check() {
    if (closed) {
      throw new UncheckedIOException(new IOException("the decrypting stream is closed"));
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("the decrypting stream is closed");
    }
    if (len == 0) {
      return 0;
    }
    try {
      if (failure != null) {
        // A failure is final: in particular trailing bytes, once reported, must not turn into a
        // clean end of stream on the next call.
        throw failure;
      }
      readHeaderIfNeeded();
      while (plainPos == plainEnd) {
        if (finalDone) {
          checkEndOfSource();
          return -1;
        }
        nextFrame();
      }
      int n = Math.min(len, plainEnd - plainPos);
      System.arraycopy(plaintext, plainPos, b, off, n);
      plainPos += n;
      return n;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The decrypted, authenticated plaintext buffered now; 0 once closed or failed. */
  @Override
  public int available() {
    return closed || failure != null ? 0 : plainEnd - plainPos;
  }

  private void checkEndOfSource() throws IOException {
    if (eofChecked) {
      return;
    }
    if (source.read() != -1) {
      throw fail(Malformed.failure("bytes follow the end of the message"));
    }
    eofChecked = true;
    time("success");
  }

  private void nextFrame() throws IOException {
    if (failure != null) {
      throw failure;
    }
    try {
      // The next frame overwrites the buffer; close() and failures zero it.
      plainPos = plainEnd = 0;
      if (header.contentType == MessageHeader.CONTENT_NON_FRAMED) {
        readNonFramed();
      } else {
        readFrame();
      }
    } catch (RuntimeException e) {
      Arrays.fill(plaintext, (byte) 0);
      plainPos = plainEnd = 0;
      throw fail(e);
    }
  }

  private void readFrame() throws IOException {
    byte[] head = readExactly(head4, 4);
    long marker = BigEndian.u32(head, 0);
    boolean isFinal = marker == FrameCodec.FINAL_FRAME_MARKER;
    byte[] iv;
    int ivAt;
    long length;
    if (isFinal) {
      byte[] h = readExactly(FrameCodec.FINAL_HEADER - 4);
      if (BigEndian.u32(h, 0) != seq) {
        throw Malformed.failure();
      }
      iv = h;
      ivAt = 4;
      length = BigEndian.u32(h, 16);
      if (length > header.frameLength) {
        throw Malformed.failure();
      }
      limits.checkBodySize(bodyBytes + length);
      update(head);
      update(h);
    } else {
      if (marker != seq || seq >= FrameCodec.MAX_FRAMES) {
        throw Malformed.failure();
      }
      length = header.frameLength;
      limits.checkBodySize(bodyBytes + length);
      iv = readExactly(iv12, 12);
      ivAt = 0;
      update(head);
      update(iv);
    }
    if (length > FrameCodec.MAX_FRAME_IN_MEMORY) {
      // One frame is held in one array; (int) length + 16 would overflow, and a frame of 2^31-1
      // bytes (a legal header value) would ask for an array larger than the VM allows.
      throw Malformed.failure(
          "a frame of " + length + " bytes is too large to decrypt as a stream");
    }
    int len = (int) length;
    int ctLength = len + FrameCodec.TAG_LENGTH;
    readInto(ctLength);
    update(frame, 0, ctLength);
    if (plaintext.length < len) {
      plaintext = new byte[len];
    }
    boolean authentic =
        isFinal
            ? frames.openFinal(seq, iv, ivAt, frame, 0, len, plaintext, 0)
            : frames.openRegular(seq, iv, ivAt, frame, 0, len, plaintext, 0);
    if (!authentic) {
      throw Malformed.failure();
    }
    if (isFinal) {
      verifyFooter();
      finalDone = true;
    } else {
      seq++;
    }
    bodyBytes += length;
    plainEnd = (int) length;
  }

  private void readNonFramed() throws IOException {
    byte[] h = readExactly(FrameCodec.NON_FRAMED_HEADER);
    long length = BigEndian.u64(h, 12);
    if (length < 0 || length > FrameCodec.MAX_FRAME_IN_MEMORY) {
      // Larger non-framed bodies cannot be held in one array; they must be authenticated whole.
      throw Malformed.failure("the non-framed message body is too large to decrypt as a stream");
    }
    limits.checkFrameLength(length);
    limits.checkBodySize(length);
    update(h);
    int len = (int) length;
    int ctLength = len + FrameCodec.TAG_LENGTH;
    readInto(ctLength);
    update(frame, 0, ctLength);
    plaintext = new byte[len];
    if (!frames.openNonFramed(h, 0, frame, 0, len, plaintext, 0)) {
      throw Malformed.failure();
    }
    verifyFooter();
    finalDone = true;
    plainEnd = (int) length;
  }

  private void verifyFooter() throws IOException {
    if (verifier == null) {
      return;
    }
    int sigLength = BigEndian.u16(readExactly(2), 0);
    Footer.verify(verifier, readExactly(sigLength), 0, sigLength);
  }

  private void update(byte[] b) {
    update(b, 0, b.length);
  }

  private void update(byte[] b, int off, int len) {
    if (verifier != null) {
      Footer.update(verifier, b, off, len);
    }
  }

  private byte[] readExactly(int n) throws IOException {
    return readExactly(new byte[n], n);
  }

  /** Reads exactly {@code n} bytes into {@code b} (reused per frame: no allocation per frame). */
  private byte[] readExactly(byte[] b, int n) throws IOException {
    int got = source.readNBytes(b, 0, n);
    if (got < n) {
      throw Malformed.failure();
    }
    return b;
  }

  /** Reads {@code n} bytes into {@link #frame}, growing it only as bytes actually arrive. */
  private void readInto(int n) throws IOException {
    int got = 0;
    while (got < n) {
      if (frame.length == got) {
        frame = Arrays.copyOf(frame, (int) Math.min(n, Math.max(8192L, 2L * frame.length)));
      }
      int r = source.read(frame, got, Math.min(n, frame.length) - got);
      if (r < 0) {
        throw Malformed.failure();
      }
      got += r;
    }
  }

  /** Closes the source. Unread plaintext is discarded. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    time(ClientMetrics.INCOMPLETE);
    Arrays.fill(plaintext, (byte) 0);
    source.close();
  }
}
