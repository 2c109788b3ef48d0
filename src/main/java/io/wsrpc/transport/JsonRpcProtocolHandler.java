package io.wsrpc.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.wsrpc.dispatch.Call;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.jsonrpc.Decoded;
import io.wsrpc.protocol.jsonrpc.JsonRpcCodec;
import io.wsrpc.protocol.jsonrpc.JsonRpcRequest;
import io.wsrpc.protocol.jsonrpc.JsonRpcResponse;
import io.wsrpc.registry.Cancellation;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Speaks JSON-RPC 2.0 on {@code /jsonrpc}. A single request gets its response when its
 * call completes; a batch gets one array holding the responses of all its requests, in
 * the order they were sent, once the last completes. Notifications run but are never
 * answered (one beyond the server's limits does not even run), so a batch of only
 * notifications gets nothing back. Each call of a batch takes its own place in the rate
 * limit: the calls beyond it get {@code rate_limited} entries. Never waits for a call.
 * {@value #CANCEL_REQUEST} runs as {@code rpc.cancel}.
 */
final class JsonRpcProtocolHandler extends RpcWebSocketHandler {

	/**
	 * The notification that cancels a call in the Language Server Protocol:
	 * {@code {"method": "$/cancelRequest", "params": {"id": ID}}}; runs as
	 * {@code rpc.cancel}.
	 */
	static final String CANCEL_REQUEST = "$/cancelRequest";

	private final JsonRpcCodec codec;

	JsonRpcProtocolHandler(JsonRpcCodec codec, Dispatcher dispatcher, Connections connections) {
		super(connections, Dialect.JSON_RPC, dispatcher);
		this.codec = codec;
	}

	@Override
	void receive(Connection connection, String text, Outcome.@Nullable Failure refusal, MemoryBudget.Hold hold) {
		Decoded decoded = this.codec.decode(text);
		if (decoded instanceof Decoded.Batch batch) {
			new BatchReply(connection, batch.entries(), refusal, hold).start();
			return;
		}
		Decoded.Entry entry = ((Decoded.Single) decoded).entry();
		if (entry instanceof Decoded.Call call) {
			dispatch(connection, call.request(), refusal, (response) -> {
				hold.release();
				if (response != null) {
					connection.send(this.codec.encode(response));
				}
			});
			return;
		}
		hold.release();
		if (entry instanceof Decoded.Rejected rejected) {
			logRejected(connection, rejected.reply().error().data().code());
			connection.send(this.codec.encode(rejected.reply()));
		}
		else if (entry instanceof Decoded.Dropped dropped) {
			logRejected(connection, dropped.code().wireName());
		}
	}

	private void dispatch(Connection connection, JsonRpcRequest request, Outcome.@Nullable Failure refusal,
			ResponseSink sink) {
		String method = request.method();
		JsonNode params = request.params();
		if (CANCEL_REQUEST.equals(method)) {
			// the Language Server Protocol's name and params for rpc.cancel
			method = Cancellation.METHOD_NAME;
			if (params.isObject() && params.has("id")) {
				params = JsonNodeFactory.instance.objectNode().set("request_id", params.get("id"));
			}
		}
		run(connection, new Call(Dialect.JSON_RPC, request.id(), method, params, connection.context()), refusal,
				(outcome) -> sink.accept((request.id() != null) ? this.codec.response(request.id(), outcome) : null));
	}

	/**
	 * Receives the end of a call: its response, or {@code null} for a notification.
	 */
	@FunctionalInterface
	private interface ResponseSink {

		void accept(@Nullable JsonRpcResponse response);

	}

	/**
	 * Collects the responses of one batch and sends them together when the last call
	 * completes. Calls complete on any thread, so slots are filled atomically and a
	 * countdown decides who sends. The results waiting for the rest of the batch hold
	 * their bytes in the memory budget until then; a second countdown, which also waits
	 * for the notifications, releases the batch's own bytes.
	 */
	private final class BatchReply {

		private final Connection connection;

		private final List<Decoded.Entry> entries;

		private final AtomicReferenceArray<JsonRpcResponse> responses;

		private final AtomicInteger pending;

		private final Outcome.@Nullable Failure refusal;

		private final MemoryBudget.Hold hold;

		private final AtomicInteger running;

		private final AtomicLong heldResults = new AtomicLong();

		BatchReply(Connection connection, List<Decoded.Entry> entries, Outcome.@Nullable Failure refusal,
				MemoryBudget.Hold hold) {
			this.connection = connection;
			this.refusal = refusal;
			this.hold = hold;
			this.entries = entries;
			this.responses = new AtomicReferenceArray<>(entries.size());
			// one count per entry, plus one that start() holds until every entry is
			// handed out
			this.pending = new AtomicInteger(entries.size() + 1);
			this.running = new AtomicInteger(entries.size() + 1);
		}

		void start() {
			Outcome.@Nullable Failure refusal = this.refusal;
			boolean first = true;
			for (int i = 0; i < this.entries.size(); i++) {
				int slot = i;
				Decoded.Entry entry = this.entries.get(i);
				if (entry instanceof Decoded.Call call) {
					// the message took the first call's token; every other call takes
					// one, and once one is refused so are the calls after it
					if (refusal == null && !first) {
						long retryAfter = this.connection.admitAnother();
						refusal = (retryAfter > 0) ? rateLimited(retryAfter) : null;
					}
					first = false;
					JsonRpcRequest request = call.request();
					if (request.isNotification()) {
						// the batch's reply does not wait for its notifications
						dispatch(this.connection, request, refusal, (response) -> ended());
						countDown();
					}
					else {
						dispatch(this.connection, request, refusal, (response) -> {
							holdUntilSent(response);
							this.responses.set(slot, response);
							ended();
							countDown();
						});
					}
				}
				else {
					if (entry instanceof Decoded.Rejected rejected) {
						this.responses.set(slot, rejected.reply());
					}
					else if (entry instanceof Decoded.Dropped dropped) {
						logRejected(this.connection, dropped.code().wireName());
					}
					ended();
					countDown();
				}
			}
			ended();
			countDown();
		}

		/**
		 * Counts a result that waits for the rest of the batch in the memory budget,
		 * until the batch's reply is handed to the connection.
		 */
		private void holdUntilSent(@Nullable JsonRpcResponse response) {
			if (response instanceof JsonRpcResponse.Success success) {
				long bytes = success.resultJson().length();
				JsonRpcProtocolHandler.this.memory.take(bytes);
				this.heldResults.addAndGet(bytes);
			}
		}

		/** Notes that a call ended; the last one releases the batch's bytes. */
		private void ended() {
			if (this.running.decrementAndGet() == 0) {
				this.hold.release();
			}
		}

		private void countDown() {
			if (this.pending.decrementAndGet() != 0) {
				return;
			}
			JsonRpcProtocolHandler.this.memory.give(this.heldResults.getAndSet(0));
			List<JsonRpcResponse> ready = new ArrayList<>(this.entries.size());
			for (int i = 0; i < this.responses.length(); i++) {
				JsonRpcResponse response = this.responses.get(i);
				if (response != null) {
					ready.add(response);
				}
			}
			if (!ready.isEmpty()) {
				this.connection.send(JsonRpcProtocolHandler.this.codec.encode(ready));
			}
		}

	}

}
