/**
 * Who may connect: API keys checked at the handshake, and who may read the actuator.
 */
@NullMarked
package io.wsrpc.security;

import org.jspecify.annotations.NullMarked;
