package io.wsrpc.transport;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes out the replies that connections collected while they were reading a burst of
 * requests, one write per connection instead of one per reply. A connection hands its
 * replies to Jetty in batch mode and asks for a flush here; one thread does the flushes,
 * while the threads that read go on reading the rest of the burst.
 */
final class ReplyFlusher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReplyFlusher.class);

	private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

	private final Thread thread;

	ReplyFlusher() {
		this.thread = new Thread(this::run, "wsrpc-flusher");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * The flushes of one connection: at most one is waiting at any time.
	 * @param session where to flush
	 */
	Pending pending(CoreSession session) {
		return new Pending(session);
	}

	private void run() {
		while (!Thread.currentThread().isInterrupted()) {
			try {
				this.queue.take().flush();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				logger.debug("A flush failed: {}", ex.toString());
			}
		}
	}

	@Override
	public void close() {
		this.thread.interrupt();
	}

	/**
	 * Whether one connection has a flush waiting.
	 */
	final class Pending {

		private final CoreSession session;

		private final AtomicBoolean waiting = new AtomicBoolean();

		private Pending(CoreSession session) {
			this.session = session;
		}

		/**
		 * Flushes what the connection sent in batch mode so far, soon.
		 */
		void request() {
			if (this.waiting.compareAndSet(false, true)) {
				ReplyFlusher.this.queue.add(this);
			}
		}

		private void flush() {
			// cleared first: a reply batched from here on asks for a flush of its own, so
			// none is left behind
			this.waiting.set(false);
			this.session.flush(Callback.NOOP);
		}

	}

}
