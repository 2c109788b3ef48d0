package io.wsrpc.transport;

import io.wsrpc.dispatch.Call;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.ws.Decoded;
import io.wsrpc.protocol.ws.NativeCodec;
import io.wsrpc.protocol.ws.RpcRequest;
import org.jspecify.annotations.Nullable;

/**
 * Speaks the native protocol on {@code /ws}: decodes each text frame, hands the call to
 * the {@link Dispatcher}, and sends the reply when the call completes. It never waits for
 * a call, so a slow method holds up no frame behind it.
 */
final class NativeProtocolHandler extends RpcWebSocketHandler {

	private final NativeCodec codec;

	NativeProtocolHandler(NativeCodec codec, Dispatcher dispatcher, Connections connections) {
		super(connections, Dialect.NATIVE, dispatcher);
		this.codec = codec;
	}

	@Override
	void receive(Connection connection, String text, Outcome.@Nullable Failure refusal, MemoryBudget.Hold hold) {
		Decoded decoded = this.codec.decode(text);
		if (decoded instanceof Decoded.Call call) {
			RpcRequest request = call.request();
			run(connection, new Call(Dialect.NATIVE, request.requestId(), request.action(), request.params(),
					connection.context()), refusal, (outcome) -> {
						hold.release();
						connection.send(this.codec.encode(request.requestId(), outcome));
					});
			return;
		}
		hold.release();
		if (decoded instanceof Decoded.Rejected rejected) {
			logRejected(connection, rejected.reply().error().code());
			connection.send(this.codec.encode(rejected.reply()));
		}
	}

}
