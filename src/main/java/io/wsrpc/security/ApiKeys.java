package io.wsrpc.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.wsrpc.WsrpcProperties;

/**
 * The configured API keys, by the SHA-256 of the key: the keys themselves are stored
 * nowhere, and a token is checked by hashing it. Immutable.
 */
final class ApiKeys {

	private final Map<String, WsrpcProperties.ApiKey> bySha256 = new HashMap<>();

	ApiKeys(List<WsrpcProperties.ApiKey> keys) {
		for (WsrpcProperties.ApiKey key : keys) {
			this.bySha256.put(key.sha256().toLowerCase(Locale.ROOT), key);
		}
	}

	/**
	 * Finds the key a token is.
	 * @param token the bearer token as sent
	 * @return the key, or empty for a token that is no key
	 */
	Optional<WsrpcProperties.ApiKey> find(String token) {
		return Optional.ofNullable(this.bySha256.get(sha256(token)));
	}

	static String sha256(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

}
