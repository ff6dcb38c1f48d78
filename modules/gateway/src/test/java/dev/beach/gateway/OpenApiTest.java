package dev.beach.gateway;

import dev.beach.gateway.impl.ApiRouter;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served spec and the router agree: same routes, same access rule for each. */
class OpenApiTest {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static LiveNode live;

  @BeforeAll
  static void start() {
    live = LiveNode.start();
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  /** {@code METHOD path} → access, from the served openapi.yaml, paths in the router's {@code :param} form. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> specRoutes() {
    Map<String, Object> spec = new Yaml().load(live.http.get("/v1/openapi.yaml").body);
    Map<String, Object> paths = (Map<String, Object>) spec.get("paths");
    Map<String, String> out = new TreeMap<>();
    paths.forEach((path, item) -> ((Map<String, Object>) item).forEach((method, op) -> {
      if (METHODS.contains(method)) {
        String access = String.valueOf(((Map<String, Object>) op).get("x-beach-access"));
        out.put(method.toUpperCase() + " " + path.replaceAll("\\{([A-Za-z]+)}", ":$1"), access);
      }
    }));
    return out;
  }

  /** Every endpoint of the live router: exact paths with one method (prefix routes are plumbing). */
  private static Map<String, String> routerRoutes() {
    Map<String, String> out = new TreeMap<>();
    for (Route r : live.gateway.router().getRoutes()) {
      if (r.isExactPath() && r.getPath() != null && r.methods().size() == 1) {
        out.put(r.methods().iterator().next().name() + " " + r.getPath(), String.valueOf(r.metadata().get(ApiRouter.ACCESS_KEY)));
      }
    }
    return out;
  }

  @Test
  void everyRouteIsInTheSpecAndEverySpecRouteExists() {
    Map<String, String> spec = specRoutes();
    Map<String, String> router = routerRoutes();
    Set<String> missingFromSpec = new TreeSet<>(router.keySet());
    missingFromSpec.removeAll(spec.keySet());
    Set<String> notInRouter = new TreeSet<>(spec.keySet());
    notInRouter.removeAll(router.keySet());
    assertTrue(missingFromSpec.isEmpty(), "routes missing from openapi.yaml: " + missingFromSpec);
    assertTrue(notInRouter.isEmpty(), "openapi.yaml names routes the gateway lacks: " + notInRouter);
    assertTrue(router.size() >= 20, "only " + router.size() + " routes: " + router.keySet());
  }

  @Test
  void theSpecDocumentsEachRoutesAccessRule() {
    assertEquals(routerRoutes(), specRoutes());
  }

  @Test
  void theContractRoutesAreAllThere() {
    Set<String> routes = routerRoutes().keySet();
    for (String r : new String[] {"GET /v1/health", "GET /v1/nodes", "GET /v1/realms", "GET /v1/realms/:realm/actors",
      "POST /v1/realms/:realm/actors", "DELETE /v1/realms/:realm/actors/:id", "DELETE /v1/realms/:realm/actors",
      "POST /v1/realms/:realm/categories/:category/:op", "PUT /v1/realms/:realm/code/:file",
      "GET /v1/realms/:realm/code", "GET /v1/realms/:realm/code/:file", "POST /v1/admin/flush",
      "POST /v1/admin/shutdown", "GET /v1/events", "GET /v1/openapi.yaml", "GET /metrics", "GET /health/live",
      "GET /health/ready", "GET /"}) {
      assertTrue(routes.contains(r), r + " missing from the router");
    }
  }
}
