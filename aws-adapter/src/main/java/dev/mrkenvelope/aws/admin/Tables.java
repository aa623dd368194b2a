package dev.mrkenvelope.aws.admin;

import java.util.List;

/** Plain-text tables for the human forms of reports: columns padded to their widest cell. */
final class Tables {
  private Tables() {}

  static String render(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, widths);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
    }
    sb.append(rule).append(System.lineSeparator());
    rows.forEach(r -> line(sb, r, widths));
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] widths) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      l.append(i == 0 ? "" : "  ").append(c).append(" ".repeat(widths[i] - c.length()));
    }
    sb.append(l.toString().stripTrailing()).append(System.lineSeparator());
  }

  /** Cuts a cell to {@code max} characters, so one long policy does not widen a whole column. */
  static String cut(String s, int max) {
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
  }
}
