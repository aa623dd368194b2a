package dev.mrkenvelope.aws;

import dev.mrkenvelope.testkit.LocalKmsExtension;

/** Key policies for tests that take one action away from the account. */
final class KeyPolicies {
  private KeyPolicies() {}

  /** A key policy that allows everything to the account and denies {@code actions} to everyone. */
  static String denyPolicy(String... actions) {
    StringBuilder deny = new StringBuilder();
    for (String a : actions) {
      deny.append(deny.length() == 0 ? "" : ",").append('"').append(a).append('"');
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + LocalKmsExtension.DEFAULT_ACCOUNT
        + ":root\"},"
        + "\"Action\":\"kms:*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":["
        + deny
        + "],\"Resource\":\"*\"}]}";
  }
}
