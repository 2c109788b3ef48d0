package io.wsrpc.protocol.ws;

import java.util.Objects;

/**
 * What one text frame on {@code /ws} turned out to be: a call to run, or a request that
 * is answered at once with an error.
 */
public sealed interface Decoded permits Decoded.Call, Decoded.Rejected {

	/**
	 * A well-formed request.
	 *
	 * @param request the request
	 */
	record Call(RpcRequest request) implements Decoded {

		public Call {
			Objects.requireNonNull(request, "request");
		}

	}

	/**
	 * A frame that is not a well-formed request.
	 *
	 * @param reply the error reply to send
	 */
	record Rejected(RpcResponse.Failure reply) implements Decoded {

		public Rejected {
			Objects.requireNonNull(reply, "reply");
		}

	}

}
