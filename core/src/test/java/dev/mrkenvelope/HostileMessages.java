package dev.mrkenvelope;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Messages a sender can build to make a reader spend memory or CPU, written byte by byte here
 * (independently of the code under test), plus counters for what a decrypt read and tried.
 */
final class HostileMessages {
  private HostileMessages() {}

  /** The start of a v2 header (suite 0x0478), an empty context, and an EDK count. */
  static byte[] v2Start(int edkCount, long seed) {
    byte[] start = new byte[1 + 2 + 32 + 2 + 2];
    start[0] = 2;
    start[1] = 0x04;
    start[2] = 0x78;
    for (int i = 3; i < 35; i++) {
      start[i] = (byte) (seed * 31 + i);
    }
    start[start.length - 2] = (byte) (edkCount >>> 8);
    start[start.length - 1] = (byte) edkCount;
    return start;
  }

  /**
   * An endless stream: a v2 header announcing 65,535 EDKs, each with 65,535-byte provider ID,
   * provider info and wrapped key. Buffering it whole would take 12 GiB.
   */
  static InputStream hugeEdkStream() {
    byte[] start = v2Start(0xFFFF, 1);
    byte[] edk = new byte[6 + 3 * 65535];
    for (int f = 0; f < 3; f++) {
      edk[f * (2 + 65535)] = (byte) 0xFF;
      edk[f * (2 + 65535) + 1] = (byte) 0xFF;
      // provider ID bytes stay 0: valid UTF-8
    }
    return new InputStream() {
      long pos;

      @Override
      public int read() {
        byte[] one = new byte[1];
        read(one, 0, 1);
        return one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++, pos++) {
          b[off + i] =
              pos < start.length
                  ? start[(int) pos]
                  : edk[(int) ((pos - start.length) % edk.length)];
        }
        return len;
      }
    };
  }

  /**
   * A whole message (v2, suite 0x0478) with {@code count} EDKs that all name {@code namespace} /
   * {@code providerInfo} but hold junk wrapped keys of {@code wrappedLength} bytes, then a junk
   * header tag and final frame: every EDK costs the reader an unwrap attempt.
   */
  static byte[] junkEdkMessage(
      int count, String namespace, byte[] providerInfo, int wrappedLength, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    byte[] start = v2Start(count, seed);
    int edkLength = 6 + ns.length + providerInfo.length + wrappedLength;
    int finalFrame = 4 + 4 + 12 + 4 + 16;
    // Written straight into one array of the exact size: the test JVM has a 64 MiB heap too.
    byte[] m = new byte[start.length + count * edkLength + 1 + 4 + 32 + 16 + finalFrame];
    System.arraycopy(start, 0, m, 0, start.length);
    int p = start.length;
    byte[] wrapped = new byte[wrappedLength];
    for (int i = 0; i < count; i++) {
      p = putPrefixed(m, p, ns);
      p = putPrefixed(m, p, providerInfo);
      random.nextBytes(wrapped);
      p = putPrefixed(m, p, wrapped);
    }
    m[p++] = 2; // framed
    m[p + 2] = 0x10; // frame length 4096
    p += 4;
    byte[] junk = new byte[32 + 16];
    random.nextBytes(junk);
    System.arraycopy(junk, 0, m, p, junk.length); // commit key, header tag
    p += junk.length;
    m[p] = m[p + 1] = m[p + 2] = m[p + 3] = (byte) 0xFF; // final frame 1, empty, junk tag
    m[p + 7] = 1;
    return m;
  }

  /** The provider info a raw AES keyring writes: key name, tag bits 128, IV length 12, an IV. */
  static byte[] rawAesProviderInfo(String keyName) {
    byte[] name = keyName.getBytes(StandardCharsets.UTF_8);
    byte[] info = new byte[name.length + 20];
    System.arraycopy(name, 0, info, 0, name.length);
    info[name.length + 3] = (byte) 128;
    info[name.length + 7] = 12;
    return info;
  }

  private static int putPrefixed(byte[] out, int p, byte[] b) {
    out[p] = (byte) (b.length >>> 8);
    out[p + 1] = (byte) b.length;
    System.arraycopy(b, 0, out, p + 2, b.length);
    return p + 2 + b.length;
  }

  /** Counts the bytes a decrypt pulled from its source. */
  static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** Delegates to a keyring, counting the decrypt calls that reach it. */
  static final class CountingKeyring implements Keyring {
    final Keyring inner;
    final AtomicInteger decryptCalls = new AtomicInteger();

    CountingKeyring(Keyring inner) {
      this.inner = inner;
    }

    @Override
    public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
      return inner.onEncrypt(materials);
    }

    @Override
    public DecryptionMaterials onDecrypt(
        DecryptionMaterials materials, List<EncryptedDataKey> edks) {
      decryptCalls.incrementAndGet();
      return inner.onDecrypt(materials, edks);
    }
  }
}
