package dev.beach.impl.hosting;

import dev.beach.BatchProtocol;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.Request;
import dev.beach.impl.transport.Responder;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Runs a {@link BatchProtocol#BATCH} request (the compute layer's chunk) against one actor's own op handlers.
 * Items run one after another inside the chunk's mailbox slot (the actor still sees one request at a time);
 * each yields a result, so one bad item never hides the others. The wire shape is {@link BatchProtocol}'s.
 */
final class Batch {

  private final ActorCell cell;
  private final Request batch;
  private final Handler<Request> handler;
  private final String op;
  private final JsonArray items;
  private final long base;
  private final JsonArray results;
  private int next;
  private boolean looping;
  private boolean pendingAnswer;

  private Batch(ActorCell cell, Request batch, Handler<Request> handler, String op, JsonArray items, long base) {
    this.cell = cell;
    this.batch = batch;
    this.handler = handler;
    this.op = op;
    this.items = items;
    this.base = base;
    this.results = new JsonArray(new java.util.ArrayList<>(items.size()));
  }

  /** Runs a batch request against the actor's handlers; answers it when every item is done. */
  static void run(ActorCell cell, Request batch, Map<String, Handler<Request>> handlers) {
    JsonObject body = batch.json();
    String op = body.getValue(BatchProtocol.OP) instanceof String ? body.getString(BatchProtocol.OP) : null;
    Object rawItems = body.getValue(BatchProtocol.ITEMS);
    if (op == null || !(rawItems instanceof JsonArray)) {
      batch.fail(ErrorCode.BAD_REQUEST, BatchProtocol.BATCH + " needs {" + BatchProtocol.OP + ": <string>, "
        + BatchProtocol.ITEMS + ": [..], " + BatchProtocol.BASE + ": <index of the first item>}");
      return;
    }
    Handler<Request> handler = handlers.get(op);
    if (handler == null) {
      batch.fail(ErrorCode.NOT_FOUND, "actor " + cell.id() + " does not handle op '" + op + "'; it handles "
        + new java.util.TreeSet<>(handlers.keySet()));
      return;
    }
    Object b = body.getValue(BatchProtocol.BASE);
    new Batch(cell, batch, handler, op, (JsonArray) rawItems, b instanceof Number ? ((Number) b).longValue() : 0).loop();
  }

  /** Synchronous handlers are looped, not recursed into; an asynchronous one resumes the loop when it answers. */
  private void loop() {
    looping = true;
    try {
      while (next < items.size()) {
        int index = next;
        pendingAnswer = true;
        ItemRequest item = new ItemRequest(index);
        try {
          handler.handle(item.request);
        } catch (Throwable t) {
          item.request.fail(t);
        }
        if (pendingAnswer) {
          return; // asynchronous: the item's answer continues the loop
        }
      }
      batch.reply(new JsonObject().put(BatchProtocol.RESULTS, results));
    } finally {
      looping = false;
    }
  }

  private void answered(int index, JsonObject result) {
    results.add(result);
    next = index + 1;
    pendingAnswer = false;
    if (!looping) {
      cell.runOnActor(this::loop);
    }
  }

  /** One item as a request of the inner op; its answer becomes the item's result. */
  private final class ItemRequest implements Responder {
    final RequestImpl request;
    final int index;

    ItemRequest(int index) {
      this.index = index;
      this.request = new RequestImpl(op, batch.id() + "#" + (base + index), batch.ident(), batch.key(), batch.deadline(),
        items.getValue(index), this);
      this.request.bind(cell);
    }

    @Override
    public void reply(Object value) {
      answered(index, BatchProtocol.success(base + index, value));
    }

    @Override
    public void fail(BeachException error) {
      answered(index, BatchProtocol.failure(base + index, error));
    }
  }
}
