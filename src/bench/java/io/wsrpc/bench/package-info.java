/**
 * JMH microbenchmarks of one message's way through the server, and the chart of the
 * load-test results in {@code bench/results}; built only with {@code -Pbench}.
 */
@NullMarked
package io.wsrpc.bench;

import org.jspecify.annotations.NullMarked;
