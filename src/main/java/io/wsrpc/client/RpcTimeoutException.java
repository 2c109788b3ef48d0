package io.wsrpc.client;

/**
 * No reply came within the call timeout; a reply that comes later is ignored.
 */
public class RpcTimeoutException extends RpcClientException {

	RpcTimeoutException(String message) {
		super(message);
	}

}
