package dev.mrkenvelope.aws;

/** The Regions of a parsed key ARN: an MRK in every Region, a single-Region key in its own. */
final class ArnTarget implements KmsRouter.KeyTarget {
  private final KmsArn arn;
  private final String text;

  ArnTarget(KmsArn arn) {
    this.arn = arn;
    this.text = arn.toString();
  }

  @Override
  public String keyId() {
    return text;
  }

  @Override
  public String arnIn(String region) {
    if (arn.isMrk()) {
      return arn.inRegion(region).toString();
    }
    return arn.region().equals(region) ? text : null;
  }
}
