package dev.mrkenvelope.benchmarks;

/** The report's text as it is written: whole lines and table rows. Not thread-safe. */
final class Markdown {
  private final StringBuilder md = new StringBuilder();

  /** Appends one line. */
  void line(String s) {
    md.append(s).append('\n');
  }

  /** Appends one table row: {@code | a | b | ... |}. */
  void row(String... cells) {
    line("| " + String.join(" | ", cells) + " |");
  }

  /** Appends text as it is (e.g. a hand-written file). */
  void append(String text) {
    md.append(text);
  }

  @Override
  public String toString() {
    return md.toString();
  }
}
