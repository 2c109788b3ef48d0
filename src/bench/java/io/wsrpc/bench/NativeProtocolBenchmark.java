package io.wsrpc.bench;

import java.util.concurrent.TimeUnit;

import io.wsrpc.dispatch.Call;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.protocol.ws.Decoded;
import io.wsrpc.protocol.ws.NativeCodec;
import io.wsrpc.protocol.ws.RpcRequest;
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
 * One {@code add_numbers} call on {@code /ws}: from its text frame to its reply text, as
 * {@code NativeProtocolHandler} does it but with no network and no thread hop, and its
 * parts on their own: decoding the frame, dispatching the call (bind, validate, invoke,
 * write the result), and encoding the reply.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class NativeProtocolBenchmark {

	private final NativeCodec codec = new NativeCodec(new RpcJson());

	private final RpcRequest request = decoded(this.codec);

	private final Outcome outcome = new Outcome.Success(AddNumbers.RESULT_JSON);

	@Benchmark
	public Decoded decode() {
		return this.codec.decode(AddNumbers.NATIVE_FRAME);
	}

	@Benchmark
	public String encode() {
		return this.codec.encode(this.request.requestId(), this.outcome);
	}

	@Benchmark
	public Outcome dispatch(Handler handler) {
		return handler.server.dispatch(handler.call);
	}

	@Benchmark
	public String frameToReply(Handler handler) {
		return handler.receive(AddNumbers.NATIVE_FRAME);
	}

	private static RpcRequest decoded(NativeCodec codec) {
		return ((Decoded.Call) codec.decode(AddNumbers.NATIVE_FRAME)).request();
	}

	/**
	 * The handler's work on one frame, on an {@link InlineServer}, checked once against
	 * the expected reply before anything is measured; and the frame's call, decoded once,
	 * to dispatch on its own.
	 */
	@State(Scope.Benchmark)
	public static class Handler {

		private InlineServer server;

		private NativeCodec codec;

		private Call call;

		@Setup
		public void start(InlineServer server) {
			this.server = server;
			this.codec = new NativeCodec(server.json());
			RpcRequest request = decoded(this.codec);
			this.call = new Call(Dialect.NATIVE, request.requestId(), request.action(), request.params(),
					server.caller());
			String reply = receive(AddNumbers.NATIVE_FRAME);
			if (!AddNumbers.NATIVE_REPLY.equals(reply)) {
				throw new IllegalStateException("Expected the reply " + AddNumbers.NATIVE_REPLY + " but got " + reply);
			}
		}

		String receive(String frame) {
			RpcRequest request = ((Decoded.Call) this.codec.decode(frame)).request();
			JsonNode requestId = request.requestId();
			Outcome outcome = this.server.dispatch(
					new Call(Dialect.NATIVE, requestId, request.action(), request.params(), this.server.caller()));
			return this.codec.encode(requestId, outcome);
		}

	}

}
