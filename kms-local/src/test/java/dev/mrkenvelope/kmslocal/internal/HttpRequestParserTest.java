package dev.mrkenvelope.kmslocal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The request parser against requests built independently here, whole and cut at any point. */
class HttpRequestParserTest {
  static final int MAX_HEAD = 64 * 1024;
  static final int MAX_BODY = 1024 * 1024;

  static byte[] request(byte[] body, boolean chunked, int chunkSize, boolean close) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: TrentService.Decrypt\r\n"
            + (close ? "Connection: close\r\n" : "")
            + (chunked
                ? "Transfer-Encoding: chunked\r\n"
                : "Content-Length: " + body.length + "\r\n")
            + "\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    if (!chunked) {
      out.writeBytes(body);
      return out.toByteArray();
    }
    for (int i = 0; i < body.length; i += chunkSize) {
      int n = Math.min(chunkSize, body.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, i, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Property(tries = 300)
  void anyRequest_parsesToItsBody_andEveryPrefixIsIncomplete(
      @ForAll @Size(max = 3000) byte[] body,
      @ForAll boolean chunked,
      @ForAll @IntRange(min = 1, max = 700) int chunkSize,
      @ForAll boolean close,
      @ForAll("cuts") double cut) {
    byte[] wire = request(body, chunked, chunkSize, close);
    byte[] twoRequests = new byte[wire.length * 2];
    System.arraycopy(wire, 0, twoRequests, 0, wire.length);
    System.arraycopy(wire, 0, twoRequests, wire.length, wire.length);

    HttpRequestParser.Result r =
        HttpRequestParser.parse(twoRequests, twoRequests.length, MAX_HEAD, MAX_BODY);
    assertThat(r.complete()).isTrue();
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.consumed()).isEqualTo(wire.length); // the next request starts right after
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.headers().get("x-amz-target")).isEqualTo("TrentService.Decrypt");
    assertThat(r.keepAlive()).isEqualTo(!close);

    int prefix = (int) (cut * (wire.length - 1));
    HttpRequestParser.Result partial = HttpRequestParser.parse(wire, prefix, MAX_HEAD, MAX_BODY);
    assertThat(partial == null || (!partial.complete() && !partial.malformed()))
        .as("prefix %d", prefix)
        .isTrue();
  }

  @Provide
  Arbitrary<Double> cuts() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Property(tries = 200)
  void garbage_neverThrows_andNeverClaimsMoreThanItHas(@ForAll @Size(max = 400) byte[] garbage) {
    HttpRequestParser.Result r = HttpRequestParser.parse(garbage, garbage.length, 256, 1024);
    if (r != null && r.complete()) {
      assertThat(r.consumed()).isLessThanOrEqualTo(garbage.length);
    }
  }

  @Test
  void oversizedBodyOrHead_isRejectedBeforeBuffering() {
    byte[] big =
        "POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(HttpRequestParser.parse(big, big.length, MAX_HEAD, MAX_BODY).status())
        .isEqualTo(413);
    byte[] head = new byte[MAX_HEAD + 10];
    java.util.Arrays.fill(head, (byte) 'a');
    assertThat(HttpRequestParser.parse(head, head.length, MAX_HEAD, MAX_BODY).status())
        .isEqualTo(431);
    byte[] expect =
        "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nab"
            .getBytes(StandardCharsets.US_ASCII);
    HttpRequestParser.Result r = HttpRequestParser.parse(expect, expect.length, MAX_HEAD, MAX_BODY);
    assertThat(r.complete()).isFalse();
    assertThat(r.expectsContinue()).isTrue();
  }
}
