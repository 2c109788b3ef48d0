package io.wsrpc.cli;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds the top-level members of a reply that say which call it answers and how (the id,
 * {@code status}, {@code result} and whether there is an {@code error}) as offsets into
 * its bytes, without building a JSON tree or allocating. Holds the offsets of the message
 * scanned last; one per thread.
 */
final class ReplyScanner {

	private static final byte[] RESULT = "result".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] STATUS = "status".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ERROR = "error".getBytes(StandardCharsets.US_ASCII);

	private final byte[] idKey;

	private int idFrom;

	private int idTo;

	private int statusFrom;

	private int statusTo;

	private int resultFrom;

	private int resultTo;

	private boolean errorSeen;

	ReplyScanner(String idField) {
		this.idKey = idField.getBytes(StandardCharsets.US_ASCII);
	}

	/** Of the message scanned last: where the id begins, or -1 without one. */
	int idFrom() {
		return this.idFrom;
	}

	/** Of the message scanned last: where the id ends. */
	int idTo() {
		return this.idTo;
	}

	/** Of the message scanned last: where the status begins, or -1 without one. */
	int statusFrom() {
		return this.statusFrom;
	}

	/** Of the message scanned last: where the status ends. */
	int statusTo() {
		return this.statusTo;
	}

	/** Of the message scanned last: where the result begins, or -1 without one. */
	int resultFrom() {
		return this.resultFrom;
	}

	/** Of the message scanned last: where the result ends. */
	int resultTo() {
		return this.resultTo;
	}

	/** Of the message scanned last: whether it has a member {@code error}. */
	boolean errorSeen() {
		return this.errorSeen;
	}

	/**
	 * A JSON integer of up to 18 digits, or {@link Long#MIN_VALUE} for anything else.
	 */
	static long parseInteger(byte[] bytes, int from, int to) {
		boolean negative = from < to && bytes[from] == '-';
		int i = negative ? from + 1 : from;
		if (i == to || to - i > 18) {
			return Long.MIN_VALUE;
		}
		long value = 0;
		for (; i < to; i++) {
			int digit = bytes[i] - '0';
			if (digit < 0 || digit > 9) {
				return Long.MIN_VALUE;
			}
			value = value * 10 + digit;
		}
		return negative ? -value : value;
	}

	/**
	 * Finds the top-level members of a message that say which call it answers and how.
	 * @return whether the message is a JSON object
	 */
	boolean scan(byte[] bytes, int from, int to) {
		this.idFrom = -1;
		this.statusFrom = -1;
		this.resultFrom = -1;
		this.errorSeen = false;
		int i = skipSpace(bytes, from, to);
		if (i >= to || bytes[i] != '{') {
			return false;
		}
		i = skipSpace(bytes, i + 1, to);
		if (i < to && bytes[i] == '}') {
			return true;
		}
		while (i < to && bytes[i] == '"') {
			int keyFrom = i + 1;
			int keyTo = stringEnd(bytes, keyFrom, to);
			if (keyTo < 0) {
				return false;
			}
			i = skipSpace(bytes, keyTo + 1, to);
			if (i >= to || bytes[i] != ':') {
				return false;
			}
			int valueFrom = skipSpace(bytes, i + 1, to);
			int valueTo = valueEnd(bytes, valueFrom, to);
			if (valueTo < 0) {
				return false;
			}
			member(bytes, keyFrom, keyTo, valueFrom, valueTo);
			i = skipSpace(bytes, valueTo, to);
			if (i >= to) {
				return false;
			}
			if (bytes[i] == '}') {
				return true;
			}
			if (bytes[i] != ',') {
				return false;
			}
			i = skipSpace(bytes, i + 1, to);
		}
		return false;
	}

	private void member(byte[] bytes, int keyFrom, int keyTo, int valueFrom, int valueTo) {
		if (is(bytes, keyFrom, keyTo, this.idKey)) {
			this.idFrom = valueFrom;
			this.idTo = valueTo;
		}
		else if (is(bytes, keyFrom, keyTo, RESULT)) {
			this.resultFrom = valueFrom;
			this.resultTo = valueTo;
		}
		else if (is(bytes, keyFrom, keyTo, STATUS)) {
			this.statusFrom = valueFrom;
			this.statusTo = valueTo;
		}
		else if (is(bytes, keyFrom, keyTo, ERROR)) {
			this.errorSeen = true;
		}
	}

	private static boolean is(byte[] bytes, int from, int to, byte[] key) {
		return Arrays.equals(bytes, from, to, key, 0, key.length);
	}

	private static int skipSpace(byte[] bytes, int from, int to) {
		int i = from;
		while (i < to && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
			i++;
		}
		return i;
	}

	/** The index of the quote that ends a string whose content begins at from, or -1. */
	private static int stringEnd(byte[] bytes, int from, int to) {
		int i = from;
		while (i < to) {
			byte b = bytes[i];
			if (b == '"') {
				return i;
			}
			i += (b == '\\') ? 2 : 1;
		}
		return -1;
	}

	/** Where the value that begins at from ends (exclusive), or -1. */
	private static int valueEnd(byte[] bytes, int from, int to) {
		if (from >= to) {
			return -1;
		}
		byte first = bytes[from];
		if (first == '"') {
			int end = stringEnd(bytes, from + 1, to);
			return (end < 0) ? -1 : end + 1;
		}
		if (first == '{' || first == '[') {
			int depth = 0;
			int i = from;
			while (i < to) {
				byte b = bytes[i];
				if (b == '"') {
					int end = stringEnd(bytes, i + 1, to);
					if (end < 0) {
						return -1;
					}
					i = end + 1;
					continue;
				}
				if (b == '{' || b == '[') {
					depth++;
				}
				else if ((b == '}' || b == ']') && --depth == 0) {
					return i + 1;
				}
				i++;
			}
			return -1;
		}
		int i = from;
		while (i < to && bytes[i] != ',' && bytes[i] != '}' && bytes[i] != ']' && bytes[i] != ' ' && bytes[i] != '\n'
				&& bytes[i] != '\r' && bytes[i] != '\t') {
			i++;
		}
		return (i == from) ? -1 : i;
	}

}
