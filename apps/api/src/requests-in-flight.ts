import type { Server } from 'node:http';

/** How often a closing server looks for the moment no request is in flight. */
const IDLE_POLL_MS = 50;

/**
 * Counts the requests a Node HTTP server is answering, from its 'request' event to the
 * response's 'close' (which fires once whether the response finished or the client went
 * away), so that a graceful shutdown can tell "a request is still being answered" from
 * "only open connections remain". Call it before the server listens.
 */
export function trackRequestsInFlight(server: Server) {
  let inFlight = 0;
  server.on('request', (_request, response) => {
    inFlight++;
    response.once('close', () => {
      inFlight--;
    });
  });
  return {
    /**
     * Once no request is in flight, closes every connection still open: a keep-alive
     * connection between requests, or one a client opened and never sent a request on
     * (an aborted fetch leaves those), which `server.close()` would otherwise wait on
     * until the drain window ends. Requests that are being answered are never cut. It
     * looks until the process exits.
     */
    closeConnectionsWhenIdle(): void {
      const timer = setInterval(() => {
        if (inFlight === 0) server.closeAllConnections();
      }, IDLE_POLL_MS);
      timer.unref();
    },
  };
}
