/**
 * mrk-envelope's source conventions as one check, for each module's {@code ConventionsTest}. Build
 * only: not published, not for users.
 */
module dev.mrkenvelope.conventions {
  exports dev.mrkenvelope.conventions;

  requires transitive org.junit.jupiter.api;
}
