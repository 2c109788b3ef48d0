package io.wsrpc.transport;

import io.wsrpc.protocol.Dialect;
import io.wsrpc.protocol.jsonrpc.JsonRpcCodec;
import io.wsrpc.protocol.ws.NativeCodec;
import io.wsrpc.pubsub.Event;
import io.wsrpc.pubsub.EventEncoder;

/**
 * The event frame of each protocol, shared by every connection of that protocol.
 */
enum EventFrames implements EventEncoder {

	/** {@code {"event": TOPIC, "data": DATA, "offset": N}} on {@code /ws}. */
	NATIVE {
		@Override
		public String encode(Event event) {
			return NativeCodec.event(event.topic(), event.dataJson(), event.offset());
		}
	},

	/** A notification of method {@code event} on {@code /jsonrpc}. */
	JSON_RPC {
		@Override
		public String encode(Event event) {
			return JsonRpcCodec.event(event.topic(), event.dataJson(), event.offset());
		}
	};

	static EventFrames of(Dialect dialect) {
		return (dialect == Dialect.JSON_RPC) ? JSON_RPC : NATIVE;
	}

}
