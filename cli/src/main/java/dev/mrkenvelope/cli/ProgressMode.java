package dev.mrkenvelope.cli;

/** How progress is shown. */
enum ProgressMode {
  /** A bar when the process runs on a terminal, log lines otherwise. */
  AUTO,
  /** A bar (me.tongfei:progressbar) on standard error. */
  BAR,
  /** A plain line every few seconds on standard error: no carriage returns, no escape codes. */
  LOG,
  /** Nothing. */
  NONE
}
