package dev.beach.gateway.impl;

import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.compute.Job;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.Jobs;
import dev.beach.gateway.QuotaOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Set;
import java.util.TreeSet;

/**
 * Jobs over HTTP (DESIGN.md "HTTP contract"). {@code POST /v1/realms/{realm}/jobs} starts a job whose results
 * this node keeps: inputs as a JSON array in the body ({@code {category, op, inputs, ...options}}, up to
 * {@code gateway.maxBodyBytes}), or streamed as NDJSON of any size ({@code Content-Type: application/x-ndjson},
 * {@code ?category=&op=&...options}, read as fast as workers take it). {@code GET /v1/jobs/{id}} is its status,
 * {@code GET /v1/jobs/{id}/results} its results as NDJSON {@code {i, ok, value|error}} (following a running
 * job; a job that did not succeed ends with an {@code {"error": ...}} line), {@code DELETE} cancels it (or
 * forgets an ended one). Jobs live on the node whose gateway started them.
 */
public final class JobRoutes {

  public static final String NDJSON = "application/x-ndjson";
  /** The option fields a job request may carry, besides category, op and inputs. */
  static final Set<String> OPTION_FIELDS = new TreeSet<>(new JobOptions().toJson().fieldNames());
  private static final Set<String> BODY_FIELDS = new TreeSet<>(Set.of("category", "op", "inputs"));

  static {
    BODY_FIELDS.addAll(OPTION_FIELDS);
  }

  private final ApiRouter api;
  private final QuotaOptions quotas;
  private final Beach beach;
  private final Jobs jobs;
  private final long maxBodyBytes;
  private final BodyHandler bodyHandler;

  private JobRoutes(ApiRouter api, Beach beach, Jobs jobs, long maxBodyBytes, QuotaOptions quotas) {
    this.api = api;
    this.quotas = quotas;
    this.beach = beach;
    this.jobs = jobs;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyHandler = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setMergeFormAttributes(false);
  }

  /** Adds the job routes to the gateway's router (before {@link ApiRouter#finish()}). */
  public static void mount(ApiRouter api, Beach beach, Jobs jobs, long maxBodyBytes, QuotaOptions quotas) {
    JobRoutes routes = new JobRoutes(api, beach, jobs, maxBodyBytes, quotas);
    // One route, two bodies: an NDJSON body is streamed into the job, a JSON one is read (bounded) first.
    Route create = api.post("/v1/realms/:realm/jobs", Access.REALM, Set.of(Bodies.JSON, NDJSON), routes::create);
    create.handler(routes::createFromJson);
    api.get("/v1/jobs", Access.ANY, routes::list);
    api.get("/v1/jobs/:id", Access.REALM, routes::status);
    api.get("/v1/jobs/:id/results", Access.REALM, routes::results);
    api.delete("/v1/jobs/:id", Access.REALM, routes::delete);
  }

  private void create(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    String type = Bodies.mediaType(ctx);
    if (NDJSON.equals(type)) {
      createFromNdjson(ctx, realm);
      return;
    }
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBodyBytes) {
      throw new BeachException(ErrorCode.TOO_LARGE, "a JSON job body may have at most " + maxBodyBytes
        + " bytes (gateway.maxBodyBytes): stream bigger inputs as NDJSON (Content-Type: " + NDJSON
        + ", category and op as query parameters)");
    }
    ctx.put(ApiRouter.LIMIT_KEY, maxBodyBytes);
    bodyHandler.handle(ctx); // reads the body, then the next handler: createFromJson
  }

  private void createFromJson(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    JsonObject body = Bodies.jsonObject(ctx);
    Set<String> unknown = new TreeSet<>(body.fieldNames());
    unknown.removeAll(BODY_FIELDS);
    if (!unknown.isEmpty()) {
      throw HttpErrors.bad("unknown field(s) " + unknown + " in the job request: allowed are " + BODY_FIELDS);
    }
    String category = name(body.getValue("category"), "category");
    String op = name(body.getValue("op"), "op");
    Address.validateCategory(category);
    Address.validateOp(op);
    Object inputs = body.getValue("inputs");
    if (!(inputs instanceof JsonArray)) {
      throw HttpErrors.bad("inputs must be a JSON array, one element per item" + (inputs == null ? " (missing)" : "")
        + "; stream large inputs as NDJSON (Content-Type: " + NDJSON + ")");
    }
    JobOptions options = withinQuota(realm, new JobOptions(body));
    requireWorkers(realm, category);
    Job job = jobs.start(realm, category, op, JobInput.of((JsonArray) inputs), options);
    Replies.json(ctx, 202, accepted(job));
  }

  private void createFromNdjson(RoutingContext ctx, String realm) {
    HttpServerRequest request = ctx.request();
    String category = Address.validateCategory(name(Params.query(ctx, "category"), "category"));
    String op = Address.validateOp(name(Params.query(ctx, "op"), "op"));
    JsonObject query = new JsonObject();
    for (String field : OPTION_FIELDS) {
      String v = Params.query(ctx, field);
      if (v != null) {
        query.put(field, "ordered".equals(field) ? (Object) Params.bool(ctx, field, true)
          : (Object) Params.longParam(ctx, field, 0, Long.MIN_VALUE, Long.MAX_VALUE));
      }
    }
    JobOptions options = withinQuota(realm, new JobOptions(query));
    requireWorkers(realm, category);
    // Nothing of the body may be lost between here and the job's reader taking over on its own context.
    request.pause();
    api.bodyStreamed(ctx);
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    Job job = jobs.start(realm, category, op, JobInput.ndjson(request), options);
    // 202 once the whole body is read (so any HTTP client gets it); a job that fails first answers its error.
    job.inputEnd().onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      if (ar.succeeded()) {
        Replies.json(ctx, 202, accepted(job));
      } else {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close"); // the rest of the body is not read
        ctx.fail(ar.cause());
      }
    });
    job.ended().onComplete(ar -> {
      if (!ctx.response().ended() && job.error() != null) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.fail(job.error());
      }
    });
  }

  /**
   * Refuses a job the realm has no room for (429: {@code gateway.quotas.jobsPerRealm} running on this node, or
   * {@code spoolBytesPerRealm} of results kept here), and bounds the new job's results to what the realm has left,
   * so it fails with 413 when it would pass it. Jobs started at the same moment each get what was left then.
   */
  private JobOptions withinQuota(String realm, JobOptions options) {
    int running = 0;
    long kept = 0;
    for (Job job : jobs.jobs()) {
      if (realm.equals(job.realm())) {
        running += job.state().ended() ? 0 : 1;
        kept += job.toJson().getLong("resultBytes", 0L);
      }
    }
    if (running >= quotas.getJobsPerRealm()) {
      throw new BeachException(ErrorCode.OVERLOADED, "realm '" + realm + "' already runs " + running + " jobs on this node,"
        + " its limit (gateway.quotas.jobsPerRealm): wait for one to end", realm, null, null, null, null, null);
    }
    long left = quotas.getSpoolBytesPerRealm() - kept;
    if (left <= 0) {
      throw new BeachException(ErrorCode.OVERLOADED, "realm '" + realm + "' keeps " + kept + " bytes of job results on"
        + " this node, its limit (gateway.quotas.spoolBytesPerRealm): remove ended jobs (DELETE /v1/jobs/{id}) or wait"
        + " for them to expire", realm, null, null, null, null, null);
    }
    long asked = options.getMaxResultBytes();
    return options.setMaxResultBytes(asked > 0 ? Math.min(asked, left) : left);
  }

  /** Fails now with 503 rather than accepting a job nobody can work on. */
  private void requireWorkers(String realm, String category) {
    if (beach.directory(realm, category).isEmpty()) {
      throw new BeachException(ErrorCode.NO_ACTORS, "no actor in category '" + category + "' of realm '" + realm
        + "' to work on the job: deploy some first", realm, category, null, null, null, null);
    }
  }

  private static JsonObject accepted(Job job) {
    return new JsonObject().put("id", job.id()).put("node", job.node()).put("state", job.state().jsonName())
      .put("status", "/v1/jobs/" + job.id()).put("results", "/v1/jobs/" + job.id() + "/results");
  }

  private static String name(Object value, String field) {
    if (value == null || (value instanceof String && ((String) value).isEmpty())) {
      throw HttpErrors.bad("the job needs '" + field + "'" + ("op".equals(field) ? " (the op each worker applies to an item)"
        : " (the category whose actors do the work)"));
    }
    if (!(value instanceof String)) {
      throw HttpErrors.bad("'" + field + "' must be a string, not " + Bodies.kind(value));
    }
    return (String) value;
  }

  private void list(RoutingContext ctx) {
    String realm = Params.query(ctx, "realm");
    if (realm != null) {
      Address.validateRealm(realm);
    }
    Principal p = Auth.principal(ctx);
    JsonArray out = new JsonArray();
    for (Job job : jobs.jobs()) {
      if (p.mayUse(job.realm()) && (realm == null || realm.equals(job.realm()))) {
        out.add(job.toJson());
      }
    }
    Replies.json(ctx, 200, out);
  }

  /**
   * The job named in the path, if the caller may see it. Another realm's job is 404 like an unknown one: a 403
   * would tell a realm token that the id exists and which realm it belongs to.
   */
  private Job job(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Job job = jobs.job(id);
    if (job == null || !Auth.principal(ctx).mayUse(job.realm())) {
      throw new BeachException(ErrorCode.NOT_FOUND, "no job '" + Bodies.abbreviate(id) + "' on node " + beach.nodeId()
        + ": a job is known to the node whose gateway started it, until it has been ended for a while");
    }
    return job;
  }

  private void status(RoutingContext ctx) {
    Replies.json(ctx, 200, job(ctx).toJson());
  }

  private void results(RoutingContext ctx) {
    Job job = job(ctx);
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, NDJSON);
    job.pipeResultsTo(response).onComplete(ar -> {
      if (response.ended() || response.closed()) {
        return;
      }
      if (ar.failed()) {
        if (!response.headWritten()) {
          ctx.fail(ar.cause());
        } else {
          response.end(new JsonObject().put("error", BeachException.from(ar.cause()).toJson()).encode() + "\n");
        }
        return;
      }
      // Kept results end when the job's last result is written, so the job has ended by now.
      BeachException error = job.error();
      response.end(error == null ? "" : new JsonObject().put("error", error.toJson()).encode() + "\n");
    });
  }

  private void delete(RoutingContext ctx) {
    Job job = job(ctx);
    if (!job.state().ended()) {
      job.cancel();
      Replies.then(ctx, job.ended(), s -> Replies.json(ctx, 200, jobs.job(job.id()) == null ? job.toJson()
        : jobs.job(job.id()).toJson()));
      return;
    }
    JsonObject last = job.toJson().put("removed", true);
    Replies.then(ctx, jobs.remove(job.id()), v -> Replies.json(ctx, 200, last));
  }
}
