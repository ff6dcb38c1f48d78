/** Gateway internals: routes, auth, body parsing, error mapping, the SSE hub. Not an API. */
package dev.beach.gateway.impl;
