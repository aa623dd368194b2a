package dev.mrkenvelope.kmslocal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A key policy: the JSON text as stored, plus the small subset of IAM evaluation kms-local needs to
 * test access failures.
 *
 * <p>Evaluation, for a call by the key's own account (kms-local has no IAM users):
 *
 * <ol>
 *   <li>A {@code Deny} statement whose {@code Action} (or {@code NotAction}) matches, whose
 *       principal is everyone ({@code "*"}, {@code {"AWS":"*"}}) or the account (id or root ARN),
 *       and whose conditions hold, denies.
 *   <li>Otherwise an {@code Allow} statement whose action matches and whose conditions hold allows,
 *       whatever principal it names (the caller is assumed to be that principal).
 *   <li>Otherwise the call is implicitly denied. The default policy allows {@code kms:*}.
 * </ol>
 *
 * Actions match case-insensitively with {@code *} and {@code ?} wildcards. Condition operators:
 * {@code StringEquals}, {@code StringNotEquals}, {@code StringLike}, {@code StringNotLike}, {@code
 * StringEqualsIgnoreCase} (each with an optional {@code IfExists} suffix, and the {@code
 * ForAnyValue:}/{@code ForAllValues:} prefixes accepted and ignored since every key here is
 * single-valued). Condition keys: {@code kms:ReplicaRegion}, {@code kms:CallerAccount}, {@code
 * aws:RequestedRegion}, {@code kms:EncryptionContext:<key>}, {@code kms:EncryptionAlgorithm}. A
 * missing key fails a positive operator and satisfies a negated one, as in IAM.
 *
 * <p>Immutable and thread-safe.
 */
final class KeyPolicy {
  private final String json;
  private final List<Statement> statements;
  private final boolean allowsEverything;

  private KeyPolicy(String json, List<Statement> statements) {
    this.json = json;
    this.statements = statements;
    // The common case (the default policy): an unconditional kms:* Allow and no Deny. Knowing it
    // up front keeps policy evaluation off the data path's profile.
    boolean anyDeny = statements.stream().anyMatch(s -> s.deny);
    boolean allowAll =
        statements.stream()
            .anyMatch(
                s -> !s.deny && !s.notAction && s.conditions.isEmpty() && s.matchesAnyKmsAction());
    this.allowsEverything = allowAll && !anyDeny;
  }

  /** True when every action is allowed whatever the context, so callers may skip evaluation. */
  boolean allowsEverything() {
    return allowsEverything;
  }

  /** The policy AWS attaches when CreateKey has none: the account root may do everything. */
  public static KeyPolicy defaultFor(String account) {
    return parse(
        "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
            + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
            + "    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::"
            + account
            + ":root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}",
        account);
  }

  /** Parses a policy document; a malformed one is {@code MalformedPolicyDocumentException}. */
  public static KeyPolicy parse(String json, String account) {
    if (json.length() > 131072) {
      throw KmsError.validation("Policy", "Member must have length less than or equal to 131072");
    }
    JsonNode root;
    try {
      root = JsonRequest.MAPPER.readTree(json);
    } catch (IOException e) {
      throw malformed("the policy is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw malformed("the policy must be a JSON object");
    }
    JsonNode st = root.get("Statement");
    if (st == null) {
      throw malformed("the policy has no Statement");
    }
    List<Statement> out = new ArrayList<>();
    for (JsonNode s : st.isArray() ? st : List.of(st)) {
      out.add(Statement.parse(s, account));
    }
    return new KeyPolicy(json, Collections.unmodifiableList(out));
  }

  private static KmsError malformed(String why) {
    return KmsError.of(
        "MalformedPolicyDocumentException",
        "The new key policy will not be accepted: " + why + ".");
  }

  public String json() {
    return json;
  }

  /** Whether the account may call {@code action} (e.g. {@code kms:Decrypt}) in {@code context}. */
  public boolean allows(String action, Map<String, String> context) {
    return decide(action, context) == Decision.ALLOW;
  }

  /**
   * The outcome of evaluating a policy; a grant can lift an implicit denial, never an explicit one.
   */
  enum Decision {
    ALLOW,
    IMPLICIT_DENY,
    EXPLICIT_DENY
  }

  /** Evaluates the policy for {@code action} in {@code context}. */
  Decision decide(String action, Map<String, String> context) {
    boolean allowed = false;
    for (Statement s : statements) {
      if (!s.matches(action, context)) {
        continue;
      }
      if (s.deny) {
        if (s.appliesToEveryone) {
          return Decision.EXPLICIT_DENY;
        }
      } else {
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
  }

  private static final class Statement {
    final boolean deny;
    final boolean appliesToEveryone;
    final List<Pattern> actions;
    final boolean notAction;
    final List<Condition> conditions;

    Statement(
        boolean deny,
        boolean appliesToEveryone,
        List<Pattern> actions,
        boolean notAction,
        List<Condition> conditions) {
      this.deny = deny;
      this.appliesToEveryone = appliesToEveryone;
      this.actions = actions;
      this.notAction = notAction;
      this.conditions = conditions;
    }

    static Statement parse(JsonNode s, String account) {
      if (!s.isObject()) {
        throw malformed("each Statement must be a JSON object");
      }
      String effect = s.path("Effect").asText("");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw malformed("Effect must be Allow or Deny");
      }
      JsonNode action = s.get("Action");
      boolean not = false;
      if (action == null) {
        action = s.get("NotAction");
        not = true;
      }
      if (action == null) {
        throw malformed("each Statement needs Action or NotAction");
      }
      List<Pattern> patterns = new ArrayList<>();
      for (JsonNode a : action.isArray() ? action : List.of(action)) {
        patterns.add(wildcard(a.asText(), true));
      }
      List<Condition> conditions = new ArrayList<>();
      JsonNode cond = s.get("Condition");
      if (cond != null) {
        cond.fields()
            .forEachRemaining(
                op ->
                    op.getValue()
                        .fields()
                        .forEachRemaining(
                            kv ->
                                conditions.add(
                                    Condition.parse(op.getKey(), kv.getKey(), kv.getValue()))));
      }
      return new Statement(
          effect.equals("Deny"), everyone(s.get("Principal"), account), patterns, not, conditions);
    }

    /** True when the principal covers the caller: "*", {"AWS": "*"}, the account or its root. */
    private static boolean everyone(JsonNode principal, String account) {
      if (principal == null) {
        return false;
      }
      if (principal.isTextual()) {
        return principal.textValue().equals("*");
      }
      JsonNode aws = principal.get("AWS");
      if (aws == null) {
        return false;
      }
      for (JsonNode p : aws.isArray() ? aws : List.of(aws)) {
        String v = p.asText();
        if (v.equals("*") || v.equals(account) || v.equals("arn:aws:iam::" + account + ":root")) {
          return true;
        }
      }
      return false;
    }

    boolean matchesAnyKmsAction() {
      for (Pattern p : actions) {
        if (p.matcher("kms:*").matches() && p.matcher("kms:AnyAction").matches()) {
          return true; // a pattern matching both is "*", "kms:*" or equivalent
        }
      }
      return false;
    }

    boolean matches(String action, Map<String, String> context) {
      boolean hit = false;
      for (Pattern p : actions) {
        if (p.matcher(action).matches()) {
          hit = true;
          break;
        }
      }
      if (hit == notAction) {
        return false;
      }
      for (Condition c : conditions) {
        if (!c.holds(context)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final class Condition {
    final String operator;
    final boolean negated;
    final boolean ifExists;
    final String key;
    final List<String> values;

    Condition(String operator, boolean negated, boolean ifExists, String key, List<String> values) {
      this.operator = operator;
      this.negated = negated;
      this.ifExists = ifExists;
      this.key = key;
      this.values = values;
    }

    static Condition parse(String op, String key, JsonNode vals) {
      String o = op.replaceFirst("^(ForAnyValue|ForAllValues):", "");
      boolean ifExists = o.endsWith("IfExists");
      if (ifExists) {
        o = o.substring(0, o.length() - "IfExists".length());
      }
      boolean negated = o.contains("Not");
      String base = o.replace("Not", "");
      if (!base.equals("StringEquals")
          && !base.equals("StringLike")
          && !base.equals("StringEqualsIgnoreCase")
          && !base.equals("Bool")) {
        throw malformed(
            "condition operator "
                + op
                + " is not supported by kms-local (use StringEquals, StringNotEquals, StringLike,"
                + " StringNotLike, StringEqualsIgnoreCase or Bool)");
      }
      List<String> values = new ArrayList<>();
      for (JsonNode v : vals.isArray() ? vals : List.of(vals)) {
        values.add(v.asText());
      }
      return new Condition(base, negated, ifExists, key.toLowerCase(Locale.ROOT), values);
    }

    boolean holds(Map<String, String> context) {
      String actual = null;
      for (Map.Entry<String, String> e : context.entrySet()) {
        if (e.getKey().toLowerCase(Locale.ROOT).equals(key)) {
          actual = e.getValue();
          break;
        }
      }
      if (actual == null) {
        return ifExists || negated;
      }
      boolean any = false;
      for (String v : values) {
        boolean m;
        switch (operator) {
          case "StringLike":
            m = wildcard(v, false).matcher(actual).matches();
            break;
          case "StringEqualsIgnoreCase":
          case "Bool":
            m = v.equalsIgnoreCase(actual);
            break;
          default:
            m = v.equals(actual);
        }
        if (m) {
          any = true;
          break;
        }
      }
      return any != negated;
    }
  }

  /** IAM globs: actions compare case-insensitively, condition values case-sensitively. */
  private static Pattern wildcard(String glob, boolean ignoreCase) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
  }
}
