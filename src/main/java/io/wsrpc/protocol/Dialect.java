package io.wsrpc.protocol;

/**
 * The two ways of speaking to the server; each has its own endpoint.
 */
public enum Dialect {

	/** The native protocol on {@code /ws}. */
	NATIVE("ws"),

	/** JSON-RPC 2.0 on {@code /jsonrpc}. */
	JSON_RPC("jsonrpc");

	private final String tag;

	Dialect(String tag) {
		this.tag = tag;
	}

	/**
	 * The short name used in metrics and logs.
	 * @return {@code ws} or {@code jsonrpc}
	 */
	public String tag() {
		return this.tag;
	}

}
