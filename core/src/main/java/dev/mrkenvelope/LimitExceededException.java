package dev.mrkenvelope;

/**
 * A message exceeds a limit the caller set (or its default), detected as soon as the header says so
 * and before the bytes beyond the limit are read or anything is allocated for them. Nothing of the
 * message was released. The message names the limit, its value and the setting to raise.
 *
 * <p>The limits and their defaults are listed in the README ("Decrypt limits").
 */
public class LimitExceededException extends PolicyException {
  private static final long serialVersionUID = 1L;

  private final MessageLimit limit;
  private final long maximum;

  /**
   * @param limit which limit was exceeded
   * @param maximum the limit's value
   * @param message what exceeded it, and the fix
   */
  public LimitExceededException(MessageLimit limit, long maximum, String message) {
    super(message);
    this.limit = limit;
    this.maximum = maximum;
  }

  /** Which limit the message exceeds. */
  public MessageLimit limit() {
    return limit;
  }

  /** The value of that limit when the message was read. */
  public long maximum() {
    return maximum;
  }
}
