package io.wsrpc.transport;

import io.wsrpc.dispatch.Call;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.protocol.ws.Decoded;
import io.wsrpc.protocol.ws.NativeCodec;
import io.wsrpc.protocol.ws.RpcRequest;

/**
 * Speaks the native protocol on {@code /ws}: decodes each text frame, hands the call to
 * the {@link Dispatcher}, and sends the reply when the call completes. It never waits for
 * a call, so a slow method holds up no frame behind it.
 */
final class NativeProtocolHandler extends RpcWebSocketHandler {

	private final NativeCodec codec;

	private final Dispatcher dispatcher;

	NativeProtocolHandler(NativeCodec codec, Dispatcher dispatcher, Connections connections) {
		super(connections, Dialect.NATIVE);
		this.codec = codec;
		this.dispatcher = dispatcher;
	}

	@Override
	void receive(Connection connection, String text) {
		Decoded decoded = this.codec.decode(text);
		if (decoded instanceof Decoded.Call call) {
			RpcRequest request = call.request();
			this.dispatcher.dispatch(new Call(Dialect.NATIVE, request.requestId(), request.action(), request.params()),
					connection.calls(), (outcome) -> connection.send(this.codec.encode(request.requestId(), outcome)));
		}
		else if (decoded instanceof Decoded.Rejected rejected) {
			logRejected(connection, rejected.reply().error().code());
			connection.send(this.codec.encode(rejected.reply()));
		}
	}

}
