package dev.mrkenvelope.cli;

/** Options that parse but do not fit together; exits with the usage code, 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
