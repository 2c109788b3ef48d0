package io.wsrpc.bench;

import java.util.concurrent.TimeUnit;

import io.wsrpc.dispatch.Call;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.protocol.jsonrpc.Decoded;
import io.wsrpc.protocol.jsonrpc.JsonRpcCodec;
import io.wsrpc.protocol.jsonrpc.JsonRpcRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * One {@code add_numbers} request on {@code /jsonrpc}: from its text frame to its
 * response text, as {@code JsonRpcProtocolHandler} does it for a single request but with
 * no network and no thread hop, and the decoding and encoding on their own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class JsonRpcProtocolBenchmark {

	private final JsonRpcCodec codec = new JsonRpcCodec(new RpcJson(), 1000);

	private final JsonRpcRequest request = decoded(this.codec, AddNumbers.JSON_RPC_FRAME);

	private final Outcome outcome = new Outcome.Success(AddNumbers.RESULT_JSON);

	@Benchmark
	public Decoded decode() {
		return this.codec.decode(AddNumbers.JSON_RPC_FRAME);
	}

	@Benchmark
	public String encode() {
		return this.codec.encode(this.codec.response(id(this.request), this.outcome));
	}

	@Benchmark
	public String frameToReply(Handler handler) {
		return handler.receive(AddNumbers.JSON_RPC_FRAME);
	}

	private static JsonRpcRequest decoded(JsonRpcCodec codec, String frame) {
		Decoded.Entry entry = ((Decoded.Single) codec.decode(frame)).entry();
		return ((Decoded.Call) entry).request();
	}

	private static JsonNode id(JsonRpcRequest request) {
		JsonNode id = request.id();
		if (id == null) {
			throw new IllegalStateException("The benchmark's request is a notification");
		}
		return id;
	}

	/**
	 * The handler's work on one frame, on an {@link InlineServer}, checked once against
	 * the expected response before anything is measured.
	 */
	@State(Scope.Benchmark)
	public static class Handler {

		private InlineServer server;

		private JsonRpcCodec codec;

		@Setup
		public void start(InlineServer server) {
			this.server = server;
			this.codec = new JsonRpcCodec(server.json(), 1000);
			String reply = receive(AddNumbers.JSON_RPC_FRAME);
			if (!AddNumbers.JSON_RPC_REPLY.equals(reply)) {
				throw new IllegalStateException(
						"Expected the response " + AddNumbers.JSON_RPC_REPLY + " but got " + reply);
			}
		}

		String receive(String frame) {
			JsonRpcRequest request = decoded(this.codec, frame);
			Outcome outcome = this.server.dispatch(
					new Call(Dialect.JSON_RPC, request.id(), request.method(), request.params(), this.server.caller()));
			return this.codec.encode(this.codec.response(id(request), outcome));
		}

	}

}
