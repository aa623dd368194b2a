/**
 * Operating multi-Region key sets from code. A {@link dev.mrkenvelope.aws.admin.KeySetSpec} says
 * what a key set should be (primary and replica Regions, key spec, policy, alias, rotation); {@link
 * dev.mrkenvelope.aws.admin.MrkAdmin} plans and applies it idempotently, audits drift with a fix
 * per finding, and drills disaster-recovery readiness across Regions. {@link
 * dev.mrkenvelope.aws.admin.CostEstimate} prices a key set.
 */
package dev.mrkenvelope.aws.admin;
