package io.wsrpc.client;

import org.jspecify.annotations.Nullable;

/**
 * What the server answered to {@link RpcClient#subscribe}.
 *
 * @param isNew whether the subscription is new ({@code false}: the connection was
 * subscribed already)
 * @param offset the topic's latest offset when the subscription took effect (0 if none,
 * and for a wildcard): the events after it follow
 * @param epoch the epoch of the topic's history that the offset belongs to, or
 * {@code null} for a wildcard
 */
public record Subscription(boolean isNew, long offset, @Nullable String epoch) {
}
