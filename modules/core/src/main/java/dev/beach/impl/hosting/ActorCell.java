package dev.beach.impl.hosting;

import dev.beach.Actor;
import dev.beach.ActorInfo;
import dev.beach.ActorLogger;
import dev.beach.ActorSpec;
import dev.beach.ActorStats;
import dev.beach.BatchProtocol;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.Request;
import dev.beach.impl.directory.Events;
import dev.beach.impl.trace.TraceSpan;
import dev.beach.impl.trace.Tracing;
import dev.beach.impl.transport.Lanes;
import dev.beach.spi.ActorRuntime;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The runtime side of one actor ({@link ActorRuntime}, as the actor sees it): its mailbox, handlers and counters. Everything that touches the mailbox
 * runs on the actor's own context, so the actor sees one request at a time (or {@code concurrency}).
 * A full mailbox answers 429 at once: nothing is dropped silently.
 */
public final class ActorCell implements ActorRuntime {

  private static final int RATE_WINDOW_SECONDS = 5;
  private static final int RECENT_ERRORS = 10;
  /**
   * An actor whose requests recently took longer than this (start to answer) is not pulled onto its caller's
   * thread ({@link #answersInlineHere}): two thread hops cost a few microseconds, and work that is longer than a
   * handful of them gains more from running beside its caller than from skipping them.
   */
  static final long INLINE_MAX_SERVICE_NANOS = 50_000;
  /** Actor handlers running on this thread now: more than one when one actor's request was answered inline. */
  private static final FastThreadLocal<int[]> HANDLERS_RUNNING = new FastThreadLocal<>() {
    @Override
    protected int[] initialValue() {
      return new int[1];
    }
  };

  private final String id;
  private final String nodeId;
  private final Beach beach;
  private final Events events;
  private final Lanes lanes;
  private final Tracing tracing;
  private final ActorSpec spec;
  private final Actor actor;
  private final JsonObject params;
  /** The deployment instance this actor is, or null. */
  private final InstanceTag tag;
  /** Called when the actor stops itself ({@link #stopSelf}); the error is null for a clean exit. */
  private final java.util.function.BiConsumer<ActorCell, Throwable> selfStop;
  private final long startedAt = System.currentTimeMillis();
  private volatile ActorInfo info;
  private ActorLogger log;
  private final ActorLog logRing;

  private ContextInternal context;
  private String deploymentId;
  private final Map<String, Handler<Request>> handlers = new HashMap<>();
  private final ArrayDeque<RequestImpl> mailbox = new ArrayDeque<>();
  /** Started and not yet answered: failed with 503 if the actor stops, so no caller waits out its timeout. */
  private final java.util.Set<RequestImpl> running = new java.util.HashSet<>();
  private int inFlight;
  private boolean pumping;
  private volatile boolean stopped;

  // Written only on the actor's context; volatile so stats() may read them from any thread.
  private volatile long processed;
  private volatile long errors;
  private volatile long rejected;
  private volatile int pending;
  private volatile long latencyNanos;
  /** Recent time from a request's start to its answer (moving average, 1/8 weight to the newest). */
  private volatile long serviceNanos;
  private final long[] rateBuckets = new long[RATE_WINDOW_SECONDS + 1];
  private volatile long rateSecond;
  private final ArrayDeque<JsonObject> recentErrors = new ArrayDeque<>();

  /**
   * @param beach  the client handed to the actor
   * @param events where a handler's failure is reported ({@code actor.failed})
   * @param lanes  to learn the lane of the loop Vert.x gives the actor
   * @param logs   where the actor's log ring comes from
   * @param tag      the deployment instance this actor is, or null
   * @param selfStop how to stop this actor when it asks to ({@link #stopSelf}); the error is null for a clean exit
   * @param tracing  the server span around each handler ({@link Tracing#OFF}: none)
   */
  ActorCell(String id, ActorSpec spec, Actor actor, String nodeId, Beach beach, Events events, Lanes lanes,
            NodeLogs logs, InstanceTag tag, java.util.function.BiConsumer<ActorCell, Throwable> selfStop,
            Tracing tracing) {
    this.tag = tag;
    this.selfStop = selfStop;
    this.tracing = tracing;
    this.id = id;
    this.spec = spec;
    this.actor = actor;
    this.nodeId = nodeId;
    this.beach = beach;
    this.events = events;
    this.lanes = lanes;
    this.params = spec.getParams().copy();
    this.info = infoOn(-1);
    this.logRing = logs.open(id, spec.getRealm(), spec.getCategories(), startedAt);
    ActorAccess.bind(actor, this);
  }

  // ------------------------------------------------------------------ seen by Actor

  @Override
  public String id() {
    return id;
  }

  @Override
  public String realm() {
    return spec.getRealm();
  }

  @Override
  public List<String> categories() {
    return spec.getCategories();
  }

  @Override
  public JsonObject params() {
    return params;
  }

  @Override
  public Beach beach() {
    return beach;
  }

  @Override
  public ActorLogger log() {
    if (log == null) {
      log = new ActorLogger(actor.getClass(), realm(), String.join(",", categories()), id, nodeId, logRing);
    }
    return log;
  }

  @Override
  public void on(String op, Handler<Request> handler) {
    dev.beach.Address.validateOp(op);
    handlers.put(op, handler);
  }

  @Override
  public void off(String op) {
    handlers.remove(op);
  }

  @Override
  public ActorStats stats() {
    return new ActorStats(processed, errors, rejected, pending, rate(), meanLatencyMs());
  }

  @Override
  public void stopSelf(Throwable error) {
    selfStop.accept(this, error);
  }

  // ------------------------------------------------------------------ runtime

  private ActorInfo infoOn(int lane) {
    return tag == null
      ? new ActorInfo(id, spec.getRealm(), spec.getClassName(), spec.getCategories(), nodeId, startedAt, null, lane)
      : new ActorInfo(id, spec.getRealm(), spec.getClassName(), spec.getCategories(), nodeId, startedAt, null, lane,
        tag.deployment(), tag.instance(), tag.revision());
  }

  /** The deployment instance this actor is, or null. */
  public InstanceTag tag() {
    return tag;
  }

  Actor actor() {
    return actor;
  }

  public ActorInfo info() {
    return info;
  }

  public ActorSpec spec() {
    return spec;
  }

  /** The actor's recent log lines (its own and the runtime's about it). */
  public ActorLog logRing() {
    return logRing;
  }

  /** Runs {@code task} on the actor's context (at once when already there). */
  void runOnActor(Runnable task) {
    if (context.inThread()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /** The actor's own context: stream credit is handled there, serialised with the actor's handlers. */
  ContextInternal context() {
    return context;
  }

  String deploymentId() {
    return deploymentId;
  }

  public boolean isStopped() {
    return stopped;
  }

  void started(String deploymentId, ContextInternal context) {
    this.deploymentId = deploymentId;
    this.context = context;
    // Now that the actor has its event loop, callers can address the node's lane on that same loop.
    this.info = infoOn(lanes.laneOf(context));
    // An exception thrown in a timer or future callback belongs to no request: say which actor it came from.
    context.exceptionHandler(t -> {
      errors++;
      log().error("uncaught exception in a callback: {}", t.toString());
    });
  }

  /** Directory entry plus live stats and the last errors, for {@code actors()} views. */
  public JsonObject toJson(boolean withStats) {
    JsonObject json = info.toJson();
    if (withStats) {
      JsonObject s = stats().toJson();
      synchronized (recentErrors) {
        s.put("recentErrors", new JsonArray(List.copyOf(recentErrors)));
      }
      json.put("stats", s).put("concurrency", spec.getConcurrency()).put("mailboxSize", spec.getMailboxSize());
    }
    return json;
  }

  /** Hands a request to the actor; safe from any thread. */
  public void deliver(RequestImpl request) {
    request.bind(this);
    ContextInternal ctx = context;
    if (ctx == null) {
      request.failInternal(new BeachException(ErrorCode.NO_ACTORS, "actor " + id + " is not running"));
      return;
    }
    ctx.execute(request, r -> ctx.emit(r, this::accept));
  }

  private void accept(RequestImpl request) {
    if (stopped) {
      request.failInternal(new BeachException(ErrorCode.NO_ACTORS, "actor " + id + " stopped"));
      return;
    }
    if (inFlight >= spec.getConcurrency() && mailbox.size() >= spec.getMailboxSize()) {
      rejected++;
      request.failInternal(new BeachException(ErrorCode.OVERLOADED, "mailbox of actor " + id + " is full ("
        + spec.getMailboxSize() + " waiting, " + inFlight + " in flight): slow down or add actors")
        .withDetail("mailboxSize", spec.getMailboxSize()));
      return;
    }
    mailbox.add(request);
    pending = mailbox.size() + inFlight;
    pump();
  }

  /** Starts queued requests while there is room; a loop, not recursion, so synchronous replies stay shallow. */
  private void pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      RequestImpl next;
      while (inFlight < spec.getConcurrency() && !stopped && (next = mailbox.poll()) != null) {
        run(next);
      }
    } finally {
      pumping = false;
      pending = mailbox.size() + inFlight;
    }
  }

  private void run(RequestImpl request) {
    long deadline = request.deadline();
    if (deadline > 0 && System.currentTimeMillis() > deadline) {
      // The caller gave up already: doing the work would only waste it.
      request.failInternal(new BeachException(ErrorCode.TIMEOUT, "request expired in the mailbox of actor " + id));
      return;
    }
    inFlight++;
    running.add(request);
    request.markStarted();
    TraceSpan span = tracing.server(request.traceparent(), request.tracestate(), realm(), String.join(",", categories()),
      request.op(), id, nodeId, request.id());
    request.span(span);
    Handler<Request> handler = handlers.get(request.op());
    if (handler == null && BatchProtocol.BATCH.equals(request.op())) {
      handler = req -> Batch.run(this, req, handlers);
    } else if (handler == null && BatchProtocol.STATS.equals(request.op())) {
      handler = req -> req.reply(toJson(true));
    }
    if (handler == null) {
      request.fail(new BeachException(ErrorCode.NOT_FOUND, "actor " + id + " (" + spec.getClassName()
        + ") does not handle op '" + request.op() + "'; it handles " + new TreeSet<>(handlers.keySet())));
      return;
    }
    // The span is current while the handler runs: the calls it makes from here become its children, and its
    // log lines carry the trace id (MDC). Traced, the handler runs on a duplicate of the actor's context that holds
    // the span, so calls made later from its callbacks (a timer, another call's reply) are its children too.
    TraceSpan.Scope scope = span.enter(context);
    int[] handlersRunning = HANDLERS_RUNNING.get();
    handlersRunning[0]++;
    try {
      handler.handle(request);
    } catch (Throwable t) {
      if (!request.answered()) {
        request.fail(t);
      } else {
        log().warn("handler of op '{}' threw after answering: {}", request.op(), t.toString());
      }
    } finally {
      handlersRunning[0]--;
      scope.close();
    }
  }

  /** Called once per request that was started, when it is answered (any thread). */
  void completed(RequestImpl request, BeachException error) {
    ContextInternal ctx = context;
    if (ctx.inThread()) {
      onCompleted(request, error);
    } else {
      ctx.execute(() -> onCompleted(request, error));
    }
  }

  private void onCompleted(RequestImpl request, BeachException error) {
    running.remove(request);
    inFlight--;
    pending = mailbox.size() + inFlight;
    long took = System.nanoTime() - request.startedNanos();
    serviceNanos = processed == 0 ? took : serviceNanos + (took - serviceNanos) / 8;
    processed++;
    latencyNanos += took;
    countRate();
    request.span().end(error == null ? 0 : error.code().code(), error == null ? null : error.getMessage());
    if (error != null) {
      errors++;
      JsonObject e = new JsonObject().put("time", System.currentTimeMillis()).put("op", request.op())
        .put("code", error.code().code()).put("message", error.getMessage());
      synchronized (recentErrors) {
        if (recentErrors.size() == RECENT_ERRORS) {
          recentErrors.poll();
        }
        recentErrors.add(e);
      }
      if (error.code() == ErrorCode.ACTOR_FAILED) {
        logRing.runtime(org.slf4j.event.Level.ERROR, "op '" + request.op() + "' failed: " + error.getMessage());
        events.actorFailed(info, request.op(), error);
      }
    }
    pump();
  }

  /** Refuses new requests and fails the queued ones with 503 so callers retry elsewhere. */
  void stop() {
    logRing.runtime(org.slf4j.event.Level.INFO, "stopped");
    if (context == null) {
      stopped = true;
      return;
    }
    context.execute(() -> {
      stopped = true;
      RequestImpl r;
      while ((r = mailbox.poll()) != null) {
        r.failInternal(new BeachException(ErrorCode.NO_ACTORS, "actor " + id + " stopped before handling the request"));
      }
      // A handler waiting on a timer or another actor will never answer now: answer for it (503 is retryable,
      // so a handle or a job sends the request elsewhere). A late answer from the handler is ignored.
      for (RequestImpl started : new java.util.ArrayList<>(running)) {
        started.fail(new BeachException(ErrorCode.NO_ACTORS, "actor " + id + " stopped while handling the request"));
      }
      pending = mailbox.size() + inFlight;
    });
  }

  /**
   * True when a request from the calling thread would run at once on this thread: the caller is on this actor's
   * event loop, the actor has nothing queued or in flight, and its requests are quick. Such a request is answered
   * inline, saving the hop to the actor's thread and the hop back.
   */
  boolean answersInlineHere() {
    ContextInternal c = context;
    return c != null && !stopped && pending == 0 && serviceNanos <= INLINE_MAX_SERVICE_NANOS && c.inThread();
  }

  /** True while an actor's handler runs on this thread (its calls then never prefer an inline answer). */
  static boolean inHandler() {
    return HANDLERS_RUNNING.get()[0] > 0;
  }

  int pending() {
    return pending;
  }

  private void countRate() {
    long second = System.currentTimeMillis() / 1000;
    long current = rateSecond;
    if (second != current) {
      long gap = Math.min(second - current, rateBuckets.length);
      for (long s = 1; s <= gap; s++) {
        rateBuckets[(int) ((current + s) % rateBuckets.length)] = 0;
      }
      rateSecond = second;
    }
    rateBuckets[(int) (second % rateBuckets.length)]++;
  }

  private double rate() {
    long second = System.currentTimeMillis() / 1000;
    long last = rateSecond;
    long sum = 0;
    // Whole seconds only: the current one is still filling.
    for (int back = 1; back <= RATE_WINDOW_SECONDS; back++) {
      long s = second - back;
      if (s <= last && s > last - rateBuckets.length) {
        sum += rateBuckets[(int) (s % rateBuckets.length)];
      }
    }
    return (double) sum / RATE_WINDOW_SECONDS;
  }

  private double meanLatencyMs() {
    long n = processed;
    return n == 0 ? 0 : latencyNanos / 1e6 / n;
  }

  @Override
  public String toString() {
    return "actor " + id + " (" + realm() + "/" + categories() + ", " + spec.getClassName() + ")";
  }
}
