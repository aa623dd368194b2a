package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Checks.requireNotPendingDeletion;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;
import static dev.mrkenvelope.kmslocal.internal.Responses.page;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** CreateAlias, UpdateAlias, DeleteAlias and ListAliases; aliases are per Region. */
final class AliasOperations extends OperationGroup {
  AliasOperations(KmsStore store, Access access) {
    super(store, access);
  }

  private static final Pattern ALIAS = Pattern.compile("^alias/[a-zA-Z0-9:/_-]+$");

  private static String aliasName(JsonRequest req) {
    String name = req.requiredString("AliasName");
    if (name.length() > 256 || !ALIAS.matcher(name).matches()) {
      throw KmsError.validation(
          "AliasName",
          "Member must start with alias/ and match ^[a-zA-Z0-9:/_-]+$ (was " + name + ")");
    }
    return name;
  }

  ObjectNode createAlias(String region, JsonRequest req) {
    String name = aliasName(req);
    if (name.startsWith("alias/aws/")) {
      throw KmsError.of(
          "InvalidAliasNameException",
          "Alias names that begin with alias/aws/ are reserved for AWS managed keys; choose another name.");
    }
    RegionalKey k = store.resolve(region, req.requiredString("TargetKeyId"), false);
    access.authorize(k, "CreateAlias");
    synchronized (store.lock) {
      requireNotPendingDeletion(k);
      Instant now = Instant.now();
      if (store.region(region).aliases.putIfAbsent(name, new Alias(name, k.keyId(), now, now))
          != null) {
        throw KmsError.of(
            "AlreadyExistsException",
            "An alias with the name " + store.aliasArn(region, name) + " already exists");
      }
    }
    return object();
  }

  ObjectNode updateAlias(String region, JsonRequest req) {
    String name = aliasName(req);
    RegionalKey k = store.resolve(region, req.requiredString("TargetKeyId"), false);
    access.authorize(k, "UpdateAlias");
    synchronized (store.lock) {
      requireNotPendingDeletion(k);
      Alias old = store.region(region).aliases.get(name);
      if (old == null) {
        throw KmsError.notFound("Alias " + store.aliasArn(region, name) + " is not found.");
      }
      RegionalKey current = store.region(region).keys.get(old.targetKeyId);
      if (current.family.spec != k.family.spec) {
        throw KmsError.validation(
            "TargetKeyId",
            "The new target key must have the same key spec and usage as the current one");
      }
      store
          .region(region)
          .aliases
          .put(name, new Alias(name, k.keyId(), old.created, Instant.now()));
    }
    return object();
  }

  ObjectNode deleteAlias(String region, JsonRequest req) {
    String name = aliasName(req);
    synchronized (store.lock) {
      Alias a = store.region(region).aliases.get(name);
      if (a == null) {
        throw KmsError.notFound("Alias " + store.aliasArn(region, name) + " is not found.");
      }
      access.authorize(store.region(region).keys.get(a.targetKeyId), "DeleteAlias");
      store.region(region).aliases.remove(name);
    }
    return object();
  }

  ObjectNode listAliases(String region, JsonRequest req) {
    int limit = req.intInRange("Limit", 50, 1, 100);
    String filter = req.string("KeyId");
    String keyId = filter == null ? null : store.resolve(region, filter, "KeyId").keyId();
    List<Alias> aliases = new ArrayList<>(store.region(region).aliases.values());
    aliases.removeIf(a -> keyId != null && !a.targetKeyId.equals(keyId));
    aliases.sort(Comparator.comparing(a -> a.name));
    return page(
        req,
        limit,
        "Aliases",
        aliases,
        a ->
            object()
                .put("AliasName", a.name)
                .put("AliasArn", store.aliasArn(region, a.name))
                .put("TargetKeyId", a.targetKeyId)
                .put("CreationDate", JsonRequest.epochSeconds(a.created))
                .put("LastUpdatedDate", JsonRequest.epochSeconds(a.updated)));
  }
}
