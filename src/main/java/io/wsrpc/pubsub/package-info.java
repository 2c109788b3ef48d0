/**
 * Topics: subscriptions per connection, server push, and the broker that carries events
 * between instances.
 */
@NullMarked
package io.wsrpc.pubsub;

import org.jspecify.annotations.NullMarked;
