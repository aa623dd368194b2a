package dev.mrkenvelope;

import java.nio.charset.StandardCharsets;

/**
 * Constants and helpers of the message body (ESDK-FORMAT §3).
 *
 * <p>Framed body: regular frames {@code u32 seq ‖ IV(12) ‖ ciphertext(frameLength) ‖ tag(16)},
 * then exactly one final frame {@code FFFFFFFF ‖ u32 seq ‖ IV(12) ‖ u32 len ‖ ciphertext(len) ‖
 * tag(16)} with {@code len ≤ frameLength}. Sequence numbers start at 1; the IV is {@code 0^8 ‖ u32
 * seq}. Each frame's AAD is {@code messageId ‖ label ‖ u32 seq ‖ u64 plaintextLength}. This writer
 * makes a plaintext that is an exact multiple of the frame length end in a full final frame (as
 * the .NET/Dafny ESDK does); readers accept both that and an empty final frame.
 *
 * <p>Non-framed body (read only): {@code IV(12) ‖ u64 len ‖ ciphertext(len) ‖ tag(16)}.
 */
final class Body {
  static final byte[] FRAME_LABEL = ascii("AWSKMSEncryptionClient Frame");
  static final byte[] FINAL_FRAME_LABEL = ascii("AWSKMSEncryptionClient Final Frame");
  static final byte[] SINGLE_BLOCK_LABEL = ascii("AWSKMSEncryptionClient Single Block");
  static final long FINAL_FRAME_MARKER = 0xFFFFFFFFL;
  static final long MAX_FRAMES = 0xFFFFFFFFL;
  /** GCM's limit for one key and IV, and the ESDK's bound on a non-framed body. */
  static final long MAX_NON_FRAMED_LENGTH = (1L << 36) - 32;
  /**
   * The largest frame or non-framed body either API holds in one array (with its tag); a longer
   * one cannot be decrypted here whatever the limits.
   */
  static final long MAX_FRAME_IN_MEMORY = Integer.MAX_VALUE - 64;
  /** ESDK-Java parses the frame length as a signed int; stay readable by it. */
  static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE;

  private Body() {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code messageId ‖ label ‖ u32 seq ‖ u64 length}. */
  static byte[] aad(byte[] messageId, byte[] label, long seq, long length) {
    byte[] aad = new byte[messageId.length + label.length + 12];
    System.arraycopy(messageId, 0, aad, 0, messageId.length);
    System.arraycopy(label, 0, aad, messageId.length, label.length);
    int p = messageId.length + label.length;
    BigEndian.putU32(aad, p, seq);
    BigEndian.putU64(aad, p + 4, length);
    return aad;
  }

  /** The frame IV {@code 0^8 ‖ u32 seq}. */
  static byte[] iv(long seq) {
    byte[] iv = new byte[12];
    BigEndian.putU32(iv, 8, seq);
    return iv;
  }
}
