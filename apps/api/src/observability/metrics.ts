import type { Ledger, LedgerObserver } from '@wallet/ledger';
import { LedgerError } from '@wallet/ledger';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds: from a cached read to a lock wait's timeout. */
const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Metrics {
  registry: Registry;
  ledgerOperations: Counter<'operation' | 'outcome'>;
  ledgerInFlight: Gauge<'operation'>;
  /** Group commit: writes per transaction, and each transaction's time. */
  ledgerBatchSize: Histogram<'result'>;
  ledgerBatchSeconds: Histogram<'result'>;
  /** Where reads ran: the replica, or the primary and why. */
  ledgerReads: Counter<'route' | 'reason'>;
}

const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * One registry per server (tests build many in one process). postgres.js does not expose
 * its pool's state, so the pool is seen through its size (`db_pool_max_connections`) and
 * the ledger operations in flight, each of which holds at most one connection.
 */
export function createMetrics(options: { poolMax: number }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'db_pool_max_connections',
    help: 'Connections the database pool may open',
    registers: [registry],
  }).set(options.poolMax);
  return {
    registry,
    ledgerOperations: new Counter({
      name: 'ledger_operations_total',
      help: 'Ledger operations by operation and outcome (ok, or the domain error code)',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
    ledgerInFlight: new Gauge({
      name: 'ledger_operations_in_flight',
      help: 'Ledger operations running now (each holds at most one pooled connection)',
      labelNames: ['operation'],
      registers: [registry],
    }),
    ledgerBatchSize: new Histogram({
      name: 'ledger_write_batch_size',
      help: 'Fundings and transfers per database transaction (group commit), by result',
      labelNames: ['result'],
      buckets: BATCH_SIZE_BUCKETS,
      registers: [registry],
    }),
    ledgerBatchSeconds: new Histogram({
      name: 'ledger_write_batch_duration_seconds',
      help: 'Time of one group-commit transaction, from its start to its last outcome',
      labelNames: ['result'],
      buckets: LATENCY_BUCKETS_S,
      registers: [registry],
    }),
    ledgerReads: new Counter({
      name: 'ledger_reads_total',
      help: 'Ledger reads by where they ran (replica or primary) and why',
      labelNames: ['route', 'reason'],
      registers: [registry],
    }),
  };
}

/** What the ledger reports about its batches and reads, as series of these metrics. */
export function ledgerObserverOf(metrics: Metrics): LedgerObserver {
  return {
    batchApplied: ({ size, durationMs, result }) => {
      metrics.ledgerBatchSize.observe({ result }, size);
      metrics.ledgerBatchSeconds.observe({ result }, durationMs / 1000);
    },
    readRouted: (route, reason) => {
      metrics.ledgerReads.inc({ route, reason });
    },
  };
}

/** Request rate and latency by route template (never the raw URL: bounded labels) and status. */
export function measureRequests(app: FastifyInstance, metrics: Metrics): void {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames,
    registers: [metrics.registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames,
    buckets: LATENCY_BUCKETS_S,
    registers: [metrics.registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}

const UNMETERED: ReadonlySet<string> = new Set(['streamEvents'] satisfies (keyof Ledger)[]);

/** The ledger, counting each operation's outcome and those in flight. */
export function meteredLedger(ledger: Ledger, metrics: Metrics): Ledger {
  const metered = {} as Record<string, unknown>;
  for (const [name, operation] of Object.entries(ledger) as [string, unknown][]) {
    if (typeof operation !== 'function') continue;
    // A stream lasts as long as its client: counted in flight, it would never leave.
    if (UNMETERED.has(name)) {
      metered[name] = operation;
      continue;
    }
    const call = operation as (...args: unknown[]) => Promise<unknown>;
    metered[name] = async (...args: unknown[]) => {
      metrics.ledgerInFlight.inc({ operation: name });
      try {
        const result = await call(...args);
        metrics.ledgerOperations.inc({ operation: name, outcome: 'ok' });
        return result;
      } catch (error) {
        const outcome = error instanceof LedgerError ? error.code : 'error';
        metrics.ledgerOperations.inc({ operation: name, outcome });
        throw error;
      } finally {
        metrics.ledgerInFlight.dec({ operation: name });
      }
    };
  }
  return metered as unknown as Ledger;
}
