/**
 * Methods to try the server with, written only against the api package.
 */
@NullMarked
package io.wsrpc.demo;

import org.jspecify.annotations.NullMarked;
