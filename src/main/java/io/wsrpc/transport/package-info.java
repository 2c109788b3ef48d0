/**
 * Spring WebSocket glue: endpoints, handlers, connections, close codes and the shutdown
 * drain.
 */
@NullMarked
package io.wsrpc.transport;

import org.jspecify.annotations.NullMarked;
