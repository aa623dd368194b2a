package dev.mrkenvelope.aws.admin;

import static dev.mrkenvelope.aws.admin.AdminKit.A;
import static dev.mrkenvelope.aws.admin.AdminKit.B;
import static dev.mrkenvelope.aws.admin.AdminKit.C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client sources of MrkAdmin: a router's clients, a map, or a factory. */
class MrkAdminBuilderTest {
  @RegisterExtension static final LocalKmsExtension kms = AdminKit.extension();

  private static AdminKit f;

  @BeforeAll
  static void start() {
    f = kms.get(AdminKit.class);
  }

  @Test
  void routerOption_usesTheRoutersOwnClientsPerRegion() {
    try (KmsRouter router = KmsRouter.builder().regions(A, B, C).clientFactory(f.sdk::get).build();
        MrkAdmin admin = MrkAdmin.builder().router(router).build()) {
      assertThat(router.client(B)).isSameAs(f.sdk(B));
      KeySetSpec spec = AdminKit.spec("alias/routed");

      admin.apply(admin.plan(spec));

      assertThat(admin.audit(spec).clean()).isTrue();
      assertThatThrownBy(() -> router.client("sa-east-1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not one of this router's regions");
    }
  }

  @Test
  void specRegionOutsideTheRouter_isRefusedWithTheFix() {
    try (KmsRouter router = KmsRouter.builder().regions(A, B).clientFactory(f.sdk::get).build();
        MrkAdmin admin = MrkAdmin.builder().router(router).build()) {
      assertThatThrownBy(() -> admin.plan(AdminKit.spec("alias/x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no KMS client for " + C)
          .hasMessageContaining("add the Region");
    }
  }

  @Test
  void factoryClients_areBuiltPerRegionAndClosedWithTheAdmin() {
    List<String> built = new java.util.ArrayList<>();
    MrkAdmin admin =
        MrkAdmin.builder()
            .regions(A, B)
            .clientFactory(
                r -> {
                  built.add(r);
                  return f.sdk(r);
                })
            .build();
    assertThat(built).containsExactly(A, B);
    assertThat(admin.toString()).contains(A).contains(B);
  }

  @Test
  void twoClientSources_areRefused() {
    assertThatThrownBy(() -> MrkAdmin.builder().regions(A).clients(Map.of(A, f.sdk(A))).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exactly one of");
  }
}
