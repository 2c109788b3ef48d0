/**
 * The wsrpc server: remote procedure calls over WebSocket.
 */
@NullMarked
package io.wsrpc;

import org.jspecify.annotations.NullMarked;
