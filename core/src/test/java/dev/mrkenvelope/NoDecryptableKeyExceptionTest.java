package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.internal.Untrusted;
import dev.mrkenvelope.keyring.MultiKeyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10 §4: a failure a caller can act on from its message and {@code retryable()} alone. */
class NoDecryptableKeyExceptionTest {

  /** A failure that says it is transient, like a throttled or timed-out KMS attempt. */
  static final class Transient extends EnvelopeException {
    private static final long serialVersionUID = 1L;

    Transient(String message) {
      super(message);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  private static DataKeyUnwrapException attempt(
      String key, String region, String reason, Throwable cause) {
    return new DataKeyUnwrapException("aws-kms", key, region, reason, cause);
  }

  @Test
  void message_listsEachAttemptOnItsOwnLine() {
    NoDecryptableKeyException e = new NoDecryptableKeyException("no key could decrypt");
    e.addSuppressed(
        attempt(
            "arn:aws:kms:us-east-1:111122223333:key/mrk-1",
            "us-east-1",
            "AccessDeniedException (not allowed)",
            null));
    e.addSuppressed(
        attempt(
            "arn:aws:kms:eu-west-1:111122223333:key/mrk-1",
            "eu-west-1",
            "ThrottlingException",
            null));

    assertThat(e.getMessage().split("\n"))
        .containsExactly(
            "no key could decrypt [2 attempts]",
            "  - provider 'aws-kms', key 'arn:aws:kms:us-east-1:111122223333:key/mrk-1', region us-east-1:"
                + " AccessDeniedException (not allowed)",
            "  - provider 'aws-kms', key 'arn:aws:kms:eu-west-1:111122223333:key/mrk-1', region eu-west-1:"
                + " ThrottlingException");
  }

  @Test
  void message_withManyAttempts_listsTheFirstTenAndCountsTheRest() {
    NoDecryptableKeyException e = new NoDecryptableKeyException("none");
    for (int i = 0; i < 25; i++) {
      e.addSuppressed(attempt("k" + i, null, "wrong key", null));
    }
    String[] lines = e.getMessage().split("\n");

    assertThat(lines).hasSize(1 + NoDecryptableKeyException.LISTED_ATTEMPTS + 1);
    assertThat(lines[0]).isEqualTo("none [25 attempts]");
    assertThat(lines[10]).contains("key 'k9'");
    assertThat(lines[11]).isEqualTo("  - and 15 more");
  }

  @Test
  void message_escapesWhatCameFromTheMessage_soNoLineCanBeForged() {
    String forged = "k\n2026-01-01 INFO decrypt ok\r\u2028\u202e";
    NoDecryptableKeyException e = new NoDecryptableKeyException("none");
    e.addSuppressed(new DataKeyUnwrapException("ns\nx", forged, null, "bad", null));
    e.addSuppressed(new IllegalStateException("child failed\nFORGED"));

    String m = e.getMessage();
    assertThat(m.split("\n")).hasSize(3);
    assertThat(m)
        .contains("key 'k\\n2026-01-01 INFO decrypt ok\\r\\u2028\\u202e'")
        .contains("provider 'ns\\nx'");
    assertThat(m).contains("  - IllegalStateException: child failed\\nFORGED");
    assertThat(m).doesNotContain("\r").doesNotContain("\u2028").doesNotContain("\u202e");
  }

  @Test
  void untrustedText_escapesControlsAndCuts_andIsIdempotent() {
    String once = Untrusted.text("a\tb\u0000c\u0085");
    assertThat(once).isEqualTo("a\\tb\\u0000c\\u0085");
    assertThat(Untrusted.text(once)).isEqualTo(once);
    assertThat(Untrusted.text("plain")).isEqualTo("plain");
    String cut = Untrusted.text("x".repeat(10_000));
    assertThat(cut)
        .hasSize(Untrusted.MAX_CHARS + "...(10000 chars)".length())
        .endsWith("...(10000 chars)");
    assertThat(
            EncryptedDataKey.of(
                    "p\n", "i\nj".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[1])
                .toString())
        .doesNotContain("\n");
  }

  @Test
  void retryable_onlyWhenEveryAttemptFailedTransiently() {
    NoDecryptableKeyException none = new NoDecryptableKeyException("none");
    assertThat(none.retryable()).as("no attempts").isFalse();

    NoDecryptableKeyException allTransient = new NoDecryptableKeyException("none");
    allTransient.addSuppressed(
        attempt("k", "us-east-1", "ThrottlingException", new Transient("throttled")));
    allTransient.addSuppressed(new Transient("timed out"));
    assertThat(allTransient.retryable()).isTrue();

    NoDecryptableKeyException mixed = new NoDecryptableKeyException("none");
    mixed.addSuppressed(
        attempt("k", "us-east-1", "ThrottlingException", new Transient("throttled")));
    mixed.addSuppressed(attempt("k", "eu-west-1", "AccessDeniedException", null));
    assertThat(mixed.retryable()).isFalse();
  }

  @Test
  void rawKeyringFailures_areListedInTheMessage_andNotRetryable() {
    RawAesKeyring writerKey =
        RawAesKeyring.builder()
            .keyNamespace("ns")
            .keyName("writer")
            .wrappingKey(new byte[32])
            .build();
    byte[] m =
        EnvelopeClient.builder()
            .keyring(writerKey)
            .build()
            .encrypt(new byte[1], Map.of())
            .ciphertext();
    EnvelopeClient reader =
        EnvelopeClient.builder()
            .keyring(
                MultiKeyring.builder()
                    .children(
                        RawAesKeyring.builder()
                            .keyNamespace("ns")
                            .keyName("other")
                            .wrappingKey(new byte[32])
                            .build(),
                        RawAesKeyring.builder()
                            .keyNamespace("ns2")
                            .keyName("writer")
                            .wrappingKey(new byte[32])
                            .build())
                    .build())
            .build();

    Throwable t = MessageFixtures.failureOf(() -> reader.decrypt(m));
    assertThat(t).isInstanceOf(NoDecryptableKeyException.class);
    assertThat(((NoDecryptableKeyException) t).retryable()).isFalse();
    assertThat(t.getMessage().split("\n"))
        .hasSize(3)
        .anySatisfy(l -> assertThat(l).contains("provider 'ns', key 'other'"))
        .anySatisfy(l -> assertThat(l).contains("provider 'ns2', key 'writer'"));
  }
}
