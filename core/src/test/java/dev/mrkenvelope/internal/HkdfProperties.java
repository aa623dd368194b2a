package dev.mrkenvelope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javax.crypto.Mac;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF against RFC 5869's test vectors and against Bouncy Castle's independent implementation, for
 * outputs of one block (what every suite derives) and of several.
 */
class HkdfProperties {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] derive(String hmac, byte[] salt, byte[] ikm, byte[] info, int length)
      throws Exception {
    Mac mac = Mac.getInstance(hmac);
    byte[] prk = Hkdf.extract(mac, salt, ikm);
    return Hkdf.expand(mac, prk, info, length);
  }

  @Example
  void rfc5869_case1_sha256() throws Exception {
    byte[] ikm = HEX.parseHex("0b".repeat(22));
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    String okm =
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
    assertThat(HEX.formatHex(derive("HmacSHA256", salt, ikm, info, 42))).isEqualTo(okm);
    // One block: the first 32 bytes.
    assertThat(HEX.formatHex(derive("HmacSHA256", salt, ikm, info, 32)))
        .isEqualTo(okm.substring(0, 64));
  }

  @Example
  void rfc5869_case3_sha256_noSaltNoInfo() throws Exception {
    byte[] ikm = HEX.parseHex("0b".repeat(22));
    String okm =
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
    assertThat(HEX.formatHex(derive("HmacSHA256", null, ikm, new byte[0], 42))).isEqualTo(okm);
    assertThat(HEX.formatHex(derive("HmacSHA256", new byte[0], ikm, new byte[0], 16)))
        .isEqualTo(okm.substring(0, 32));
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
  }

  @Property(tries = 300)
  void matchesBouncyCastle_forEveryHashAndLength(
      @ForAll("bytes") byte[] salt,
      @ForAll("bytes") byte[] ikm,
      @ForAll("bytes") byte[] info,
      @ForAll @IntRange(min = 1, max = 300) int length,
      @ForAll @IntRange(min = 0, max = 2) int hash)
      throws Exception {
    String[] macs = {"HmacSHA256", "HmacSHA384", "HmacSHA512"};
    HKDFBytesGenerator bc =
        new HKDFBytesGenerator(
            hash == 0 ? new SHA256Digest() : hash == 1 ? new SHA384Digest() : new SHA512Digest());
    bc.init(new HKDFParameters(ikm, salt, info));
    byte[] expected = new byte[length];
    bc.generateBytes(expected, 0, length);
    assertThat(derive(macs[hash], salt, ikm, info, length)).isEqualTo(expected);
  }
}
