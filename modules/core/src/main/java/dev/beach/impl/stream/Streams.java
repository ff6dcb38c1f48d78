package dev.beach.impl.stream;

import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.ReplyStream;
import dev.beach.impl.transport.Headers;
import dev.beach.impl.transport.Ids;
import dev.beach.impl.transport.StreamOwner;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Streamed replies (splice.io's generator actors, done as streams). The caller sends the request with a
 * stream id and an initial credit; the actor's {@link ReplyStream} sends items as frames to the caller's
 * node address and never more than the caller granted; the caller grants more as its {@link ReadStream}
 * consumes, so a paused reader stops the producer across the network. Frames between two nodes travel one
 * connection, in order; sequence numbers make a violation visible instead of silent.
 */
public final class Streams {

  static final int WINDOW = 64;
  static final String ITEM = "item";
  static final String END = "end";
  static final String ERROR = "error";
  static final String CREDIT = "credit";
  static final String CANCEL = "cancel";
  static final String OPEN = "open";

  private final Vertx vertx;
  private final String nodeId;
  private final ConcurrentHashMap<String, StreamReader<?>> readers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, StreamWriter> writers = new ConcurrentHashMap<>();

  public Streams(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  public <T> ReadStream<T> openReader(ActorInfo target, BeachException noTarget, String op, Object body,
                               DeliveryOptions delivery, long timeoutMs) {
    String streamId = Ids.requestId();
    Context callerContext = vertx.getOrCreateContext();
    StreamReader<T> reader = new StreamReader<>(this, streamId, target == null ? null : target.node(), callerContext);
    if (noTarget != null) {
      reader.fail(noTarget);
      return reader;
    }
    readers.put(streamId, reader);
    delivery.addHeader(Headers.STREAM, streamId).addHeader(Headers.STREAM_NODE, nodeId)
      .addHeader(Headers.STREAM_CREDIT, Integer.toString(WINDOW)).setSendTimeout(timeoutMs);
    reader.granted(WINDOW);
    vertx.eventBus().request(Address.node(target.node()), body, delivery).onComplete(ar -> {
      if (ar.failed()) {
        reader.fail(BeachException.from(ar.cause()).locate(target.realm(), null, target.id(), target.node(), op));
      } else if (!OPEN.equals(ar.result().headers().get(Headers.FRAME))) {
        // The handler answered with a plain reply: a stream of one.
        reader.single(ar.result().body());
      }
    });
    return reader;
  }

  public ReplyStream openWriter(StreamOwner request, Message<Object> msg, String streamId) {
    String callerNode = msg.headers().get(Headers.STREAM_NODE);
    int credit = (int) Headers.parseLong(msg.headers().get(Headers.STREAM_CREDIT));
    StreamWriter writer = new StreamWriter(this, request, callerNode, streamId, Math.max(1, credit));
    writers.put(callerNode + "/" + streamId, writer);
    msg.reply(null, new DeliveryOptions().addHeader(Headers.FRAME, OPEN));
    return writer;
  }

  /** A frame arrived at this node's address. */
  public void onFrame(Message<Object> msg) {
    String frame = msg.headers().get(Headers.FRAME);
    String streamId = msg.headers().get(Headers.STREAM);
    if (streamId == null) {
      return;
    }
    switch (frame) {
      case ITEM:
      case END:
      case ERROR: {
        StreamReader<?> reader = readers.get(streamId);
        if (reader != null) {
          reader.onFrame(frame, Headers.parseLong(msg.headers().get(Headers.SEQ)), msg.body());
        }
        break;
      }
      case CREDIT:
      case CANCEL: {
        StreamWriter writer = writers.get(msg.headers().get(Headers.STREAM_NODE) + "/" + streamId);
        if (writer != null) {
          // On the actor's context: its "check writeQueueFull, then set a drain handler" must not race credit.
          Runnable task = CREDIT.equals(frame)
            ? () -> writer.onCredit((int) Headers.parseLong(String.valueOf(msg.body())))
            : writer::onCancel;
          writer.runOnActor(task);
        }
        break;
      }
      default:
        break;
    }
  }

  void sendToCaller(String callerNode, String streamId, String frame, long seq, Object body) {
    DeliveryOptions d = new DeliveryOptions().addHeader(Headers.FRAME, frame).addHeader(Headers.STREAM, streamId)
      .addHeader(Headers.SEQ, Long.toString(seq));
    vertx.eventBus().send(Address.node(callerNode), body, d);
  }

  void sendToProducer(String producerNode, String streamId, String frame, Object body) {
    DeliveryOptions d = new DeliveryOptions().addHeader(Headers.FRAME, frame).addHeader(Headers.STREAM, streamId)
      .addHeader(Headers.STREAM_NODE, nodeId);
    vertx.eventBus().send(Address.node(producerNode), body, d);
  }

  void readerDone(String streamId) {
    readers.remove(streamId);
  }

  void writerDone(String callerNode, String streamId) {
    writers.remove(callerNode + "/" + streamId);
  }

  /** Streams whose other end was on a departed node end now, with a typed error. */
  public void nodeLost(String departed) {
    readers.values().forEach(r -> {
      if (departed.equals(r.producerNode())) {
        r.fail(new BeachException(ErrorCode.NO_ACTORS, "node " + departed + " left the cluster during the stream"));
      }
    });
    writers.values().forEach(w -> {
      if (departed.equals(w.callerNode())) {
        w.onCancel();
      }
    });
  }

  public void close() {
    readers.values().forEach(r -> r.fail(new BeachException(ErrorCode.NO_ACTORS, "node " + nodeId + " stopped")));
    writers.values().forEach(StreamWriter::onCancel);
  }

  static JsonObject errorBody(BeachException e) {
    return e.toJson();
  }
}
