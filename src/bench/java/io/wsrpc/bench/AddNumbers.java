package io.wsrpc.bench;

/**
 * The call every benchmark makes, {@code add_numbers} of 5 and 10, as a client sends it
 * in each dialect and as the server answers it.
 */
final class AddNumbers {

	static final String NATIVE_FRAME = """
			{"request_id": "r-1", "action": "add_numbers", "params": {"a": 5, "b": 10}}""";

	static final String NATIVE_REPLY = """
			{"request_id":"r-1","status":"ok","result":15}""";

	static final String JSON_RPC_FRAME = """
			{"jsonrpc": "2.0", "method": "add_numbers", "params": {"a": 5, "b": 10}, "id": 1}""";

	static final String JSON_RPC_REPLY = """
			{"jsonrpc":"2.0","result":15,"id":1}""";

	/** The result as the dispatcher writes it. */
	static final String RESULT_JSON = "15";

	private AddNumbers() {
	}

}
