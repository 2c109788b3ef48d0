/**
 * A Java client for wsrpc servers on the JDK's WebSocket and Jackson only, with no
 * Spring: calls, typed proxies and reconnection.
 */
@NullMarked
package io.wsrpc.client;

import org.jspecify.annotations.NullMarked;
