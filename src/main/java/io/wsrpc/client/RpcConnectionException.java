package io.wsrpc.client;

/**
 * The connection could not be opened, was lost while the call was in flight, or is
 * closed. A call that fails this way may or may not have run on the server.
 */
public class RpcConnectionException extends RpcClientException {

	RpcConnectionException(String message, Throwable cause) {
		super(message, cause);
	}

	RpcConnectionException(String message) {
		super(message);
	}

}
