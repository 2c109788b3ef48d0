/**
 * The native protocol spoken on /ws: request and reply records and their codec.
 */
@NullMarked
package io.wsrpc.protocol.ws;

import org.jspecify.annotations.NullMarked;
