package io.wsrpc.transport;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.wsrpc.support.TestClient;

/**
 * Handshakes started together: each on its own thread, all released by one latch.
 *
 * @param opened the clients whose handshake succeeded
 * @param refusals the HTTP status of each refused handshake
 */
record HandshakeRace(List<TestClient> opened, List<Integer> refusals) implements AutoCloseable {

	static HandshakeRace run(URI uri, int handshakes) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(handshakes);
		try {
			CountDownLatch ready = new CountDownLatch(handshakes);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Object>> attempts = new ArrayList<>();
			for (int i = 0; i < handshakes; i++) {
				attempts.add(threads.submit(() -> {
					ready.countDown();
					go.await();
					try {
						return TestClient.connect(uri, Map.of());
					}
					catch (CompletionException ex) {
						if (ex.getCause() instanceof WebSocketHandshakeException refused) {
							return refused.getResponse().statusCode();
						}
						throw ex;
					}
				}));
			}
			ready.await();
			go.countDown();
			HandshakeRace race = new HandshakeRace(new ArrayList<>(), new ArrayList<>());
			for (Future<Object> attempt : attempts) {
				Object result = attempt.get(30, TimeUnit.SECONDS);
				if (result instanceof TestClient client) {
					race.opened.add(client);
				}
				else {
					race.refusals.add((Integer) result);
				}
			}
			return race;
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Override
	public void close() {
		this.opened.forEach(TestClient::close);
	}

}
