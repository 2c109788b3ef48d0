package io.wsrpc.client;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one call: {@code cancel(true)} also cancels the call on the server
 * ({@code rpc.cancel} on {@code /ws}, {@code $/cancelRequest} on {@code /jsonrpc}), which
 * interrupts its method; {@code cancel(false)} only stops waiting for the reply. Stages
 * derived from it are plain {@link CompletableFuture}s.
 *
 * @param <T> the result type
 */
final class RemoteCall<T> extends CompletableFuture<T> {

	private final Runnable cancelOnServer;

	RemoteCall(Runnable cancelOnServer) {
		this.cancelOnServer = cancelOnServer;
	}

	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		boolean cancelled = super.cancel(mayInterruptIfRunning);
		if (cancelled && mayInterruptIfRunning) {
			this.cancelOnServer.run();
		}
		return cancelled;
	}

}
