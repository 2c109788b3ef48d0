package bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A bare Spring Boot app with one WebSocket handler on {@code /ws}: every text frame that
 * contains {@code ping} gets {@code {"status": "ok", "result": "pong"}}, others get nothing.
 * The baseline of the startup row of {@code bench/run.sh table}.
 */
@SpringBootApplication
@EnableWebSocket
public class BareApplication implements WebSocketConfigurer {

	public static void main(String[] args) {
		SpringApplication.run(BareApplication.class, args);
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new PingHandler(), "/ws");
	}

	static class PingHandler extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			if (message.getPayload().contains("ping")) {
				session.sendMessage(new TextMessage("{\"status\": \"ok\", \"result\": \"pong\"}"));
			}
		}

	}

}
