package io.wsrpc.pubsub;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The reply of {@code subscribe}.
 *
 * @param isNew whether the subscription is new ({@code false}: it existed, and nothing
 * changed)
 * @param offset the topic's latest offset when the subscription took effect (0 if none):
 * the connection gets every event after it; absent for a wildcard
 * @param epoch the topic's epoch, to pass back in {@code since}; absent for a wildcard
 * @param recovered with {@code since}: whether every event after it was still in the
 * topic's history and is replayed, before any live event; absent without {@code since}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscribed(@JsonProperty("new") boolean isNew, @Nullable Long offset, @Nullable String epoch,
		@Nullable Boolean recovered) {

	/**
	 * The reply for a wildcard subscription, which has no offset.
	 * @param isNew whether it is new
	 * @return the reply
	 */
	static Subscribed wildcard(boolean isNew) {
		return new Subscribed(isNew, null, null, null);
	}

}
