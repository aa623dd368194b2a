package dev.mrkenvelope.aws.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Runs a {@link Plan}'s changes in order; waits for new replicas before anything that needs them.
 */
final class Applier {
  private final Kms kms;
  private final Plan plan;
  private final KeySetSpec spec;
  private final Duration replicaWait;
  private final Duration pollInterval;
  private final List<Change> applied = new ArrayList<>();
  private final List<String> creating = new ArrayList<>();
  private String keyId;

  Applier(Kms kms, Plan plan, Duration replicaWait, Duration pollInterval) {
    this.kms = kms;
    this.plan = plan;
    this.spec = plan.spec();
    this.replicaWait = replicaWait;
    this.pollInterval = pollInterval;
    this.keyId = plan.keyId();
  }

  ApplyResult run() {
    kms.requireAll(plan.changes().stream().map(Change::region).distinct().toList());
    String policy = spec.policyDocument();
    for (Change c : plan.changes()) {
      if (c.kind().compareTo(ChangeKind.REPLICATE) > 0) {
        awaitReplicas();
      }
      try {
        apply(c, policy);
      } catch (RuntimeException e) {
        throw new MrkAdminException(
            "apply stopped at "
                + c
                + ": "
                + KmsErrors.describe(e)
                + "; fix: "
                + KmsErrors.fix(e, c.region())
                + "; then plan and apply again (applied so far: "
                + applied
                + ")",
            applied,
            e);
      }
      applied.add(c);
    }
    awaitReplicas();
    return new ApplyResult(keyId, applied);
  }

  private void apply(Change c, String policy) {
    String r = c.region();
    String id = keyId;
    switch (c.kind()) {
      case CREATE_PRIMARY -> {
        KeyMetadata md =
            kms.in(r)
                .createKey(
                    b ->
                        b.multiRegion(true)
                            .keySpec(spec.keySpec())
                            .keyUsage(spec.keyUsage())
                            .description(spec.description())
                            .tags(tags())
                            .policy(policy)
                            .overrideConfiguration(kms.override))
                .keyMetadata();
        keyId = md.keyId();
      }
      case REPLICATE -> {
        kms.in(plan.keyId() == null ? spec.primaryRegion() : plan.primaryRegion())
            .replicateKey(
                b ->
                    b.keyId(id)
                        .replicaRegion(r)
                        .policy(policy)
                        .description(spec.description())
                        .tags(tags())
                        .overrideConfiguration(kms.override));
        creating.add(r);
      }
      case PUT_POLICY ->
          kms.in(r)
              .putKeyPolicy(
                  b ->
                      b.keyId(id)
                          .policyName("default")
                          .policy(policy)
                          .overrideConfiguration(kms.override));
      case UPDATE_DESCRIPTION ->
          kms.in(r)
              .updateKeyDescription(
                  b ->
                      b.keyId(id)
                          .description(spec.description())
                          .overrideConfiguration(kms.override));
      case TAG ->
          kms.in(r).tagResource(b -> b.keyId(id).tags(tags()).overrideConfiguration(kms.override));
      case CREATE_ALIAS -> {
        try {
          kms.in(r)
              .createAlias(
                  b ->
                      b.aliasName(spec.alias())
                          .targetKeyId(id)
                          .overrideConfiguration(kms.override));
        } catch (AlreadyExistsException e) {
          updateAlias(r, id); // created since the plan was made
        }
      }
      case UPDATE_ALIAS -> updateAlias(r, id);
      case ENABLE_ROTATION ->
          kms.in(r)
              .enableKeyRotation(
                  b ->
                      b.keyId(id)
                          .rotationPeriodInDays(spec.rotation().periodDays())
                          .overrideConfiguration(kms.override));
      case DISABLE_ROTATION ->
          kms.in(r).disableKeyRotation(b -> b.keyId(id).overrideConfiguration(kms.override));
      default -> throw new IllegalStateException("unknown change " + c.kind());
    }
  }

  private void updateAlias(String region, String id) {
    kms.in(region)
        .updateAlias(
            b -> b.aliasName(spec.alias()).targetKeyId(id).overrideConfiguration(kms.override));
  }

  private List<Tag> tags() {
    return spec.tags().entrySet().stream()
        .map(e -> Tag.builder().tagKey(e.getKey()).tagValue(e.getValue()).build())
        .toList();
  }

  /**
   * Polls DescribeKey in each new replica's Region until it leaves Creating (on AWS this takes
   * seconds to minutes; a replica may briefly be unknown in its Region right after ReplicateKey).
   */
  private void awaitReplicas() {
    long deadline = System.nanoTime() + replicaWait.toNanos();
    while (!creating.isEmpty()) {
      String r = creating.get(0);
      KeyState state = null;
      try {
        String id = keyId;
        state =
            kms.in(r)
                .describeKey(b -> b.keyId(id).overrideConfiguration(kms.override))
                .keyMetadata()
                .keyState();
      } catch (RuntimeException e) {
        if (!KmsErrors.notFound(e) && !KmsErrors.unreachable(e)) {
          throw new MrkAdminException(
              "waiting for the replica in "
                  + r
                  + ": "
                  + KmsErrors.describe(e)
                  + "; fix: "
                  + KmsErrors.fix(e, r),
              applied,
              e);
        }
      }
      if (state != null && state != KeyState.CREATING) {
        creating.remove(0);
        continue;
      }
      if (System.nanoTime() > deadline) {
        throw new MrkAdminException(
            "the replica in "
                + r
                + " is still "
                + (state == null ? "not visible" : "Creating")
                + " after "
                + replicaWait
                + "; ReplicateKey can take"
                + " minutes on AWS: raise MrkAdmin.builder().replicaWaitTimeout and plan and apply"
                + " again",
            applied,
            null);
      }
      sleep();
    }
  }

  private void sleep() {
    try {
      Thread.sleep(pollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MrkAdminException("interrupted while waiting for replicas", applied, e);
    }
  }
}
