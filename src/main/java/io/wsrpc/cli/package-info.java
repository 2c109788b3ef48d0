/**
 * The command-line tool in the server's jar: call, demo and bench, built on the client.
 */
@NullMarked
package io.wsrpc.cli;

import org.jspecify.annotations.NullMarked;
