package io.wsrpc.client;

/**
 * Why a call made with {@link RpcClient} did not return a result.
 */
public class RpcClientException extends RuntimeException {

	RpcClientException(String message, Throwable cause) {
		super(message, cause);
	}

	RpcClientException(String message) {
		super(message);
	}

}
