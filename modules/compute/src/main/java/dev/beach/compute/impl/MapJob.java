package dev.beach.compute.impl;

import dev.beach.BatchProtocol;
import dev.beach.BeachException;
import dev.beach.compute.ItemResult;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** {@code map}: every result gathered by index, values in input order and the failures listed. */
final class MapJob extends ChunkedJob implements DelegatingFuture<JobResult> {

  private final Promise<JobResult> promise;
  private final Gather gather;

  MapJob(JobsImpl jobs, ContextInternal ctx, String realm, String category, String op, JobInput input, JobOptions options) {
    super(jobs, ctx, realm, category, op, input, options);
    this.promise = ctx.promise();
    this.gather = new Gather(input.size());
  }

  @Override
  public Future<JobResult> future() {
    return promise.future();
  }

  @Override
  Dispatcher.Output output() {
    return gather;
  }

  private final class Gather implements Dispatcher.Output {
    private final ArrayList<Object> values;
    private final List<ItemResult> errors = new ArrayList<>();
    private long delivered;

    Gather(long size) {
      values = new ArrayList<>(size >= 0 && size < Integer.MAX_VALUE ? (int) size : 16);
    }

    @Override
    public void accept(Chunk chunk, JsonArray results) {
      long end = chunk.end();
      if (end > Integer.MAX_VALUE) {
        throw new IllegalStateException("map gathers at most " + Integer.MAX_VALUE + " results; use stream for more");
      }
      while (values.size() < end) {
        values.add(null);
      }
      for (int k = 0; k < results.size(); k++) {
        JsonObject r = results.getJsonObject(k);
        if (r.getBoolean(BatchProtocol.OK, false)) {
          values.set((int) chunk.base + k, r.getValue(BatchProtocol.VALUE));
        } else {
          errors.add(ItemResult.fromJson(r));
        }
      }
      delivered += chunk.size;
    }

    @Override
    public boolean mayDispatch(long base) {
      return true;
    }

    @Override
    public long buffered() {
      return 0;
    }

    @Override
    public long delivered() {
      return delivered;
    }

    @Override
    public void end(BeachException error) {
      if (error != null) {
        promise.tryFail(error);
        return;
      }
      errors.sort((a, b) -> Long.compare(a.index(), b.index()));
      promise.tryComplete(new JobResult(values, errors, progress()));
    }
  }
}
