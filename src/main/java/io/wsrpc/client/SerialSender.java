package io.wsrpc.client;

import java.net.http.WebSocket;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Sends text frames on a JDK {@link WebSocket} from any number of threads. The JDK allows
 * one send at a time, so frames queue here and go out one after another, in order.
 */
public final class SerialSender {

	private final WebSocket webSocket;

	private final Consumer<Throwable> onFailure;

	private final Queue<String> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sending = new AtomicBoolean();

	/**
	 * Creates a sender.
	 * @param webSocket the socket
	 * @param onFailure told when a send fails (the connection is then unusable)
	 */
	public SerialSender(WebSocket webSocket, Consumer<Throwable> onFailure) {
		this.webSocket = webSocket;
		this.onFailure = onFailure;
	}

	/**
	 * Queues a frame and starts sending if nothing is being sent.
	 * @param text the frame
	 */
	public void send(String text) {
		this.queue.add(text);
		drain();
	}

	private void drain() {
		while (!this.queue.isEmpty() && this.sending.compareAndSet(false, true)) {
			String next = this.queue.poll();
			if (next == null) {
				this.sending.set(false);
				continue;
			}
			CompletableFuture<WebSocket> sent;
			try {
				sent = this.webSocket.sendText(next, true);
			}
			catch (RuntimeException ex) {
				this.sending.set(false);
				this.onFailure.accept(ex);
				return;
			}
			if (sent.isDone() && !sent.isCompletedExceptionally()) {
				this.sending.set(false);
				continue;
			}
			sent.whenComplete((socket, ex) -> {
				this.sending.set(false);
				if (ex != null) {
					this.onFailure.accept(ex);
				}
				else {
					drain();
				}
			});
			return;
		}
	}

}
