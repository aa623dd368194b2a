package dev.mrkenvelope.cli;

/** The process exit codes, documented in every command's help. */
final class ExitCodes {
  static final int OK = 0;

  /** Some file failed, or an audit or drill found something. */
  static final int FAILURE = 1;

  /** The command line itself was wrong (picocli's usage code). */
  static final int USAGE = 2;

  private ExitCodes() {}
}
