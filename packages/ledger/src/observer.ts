/**
 * What the ledger reports about its own work, for metrics: the API turns these calls
 * into Prometheus series; the ledger itself knows nothing of how they are shown.
 */
export interface ReadRoute {
  route: 'primary' | 'replica';
  reason: 'no replica' | 'replica caught up' | 'replica lagging' | 'replica unavailable';
}

export interface BatchReport {
  /** Writes in the transaction. */
  size: number;
  /** From the batch's start to its last outcome, in milliseconds. */
  durationMs: number;
  /** 'split': the batch failed as a whole and its writes were applied one by one. */
  result: 'committed' | 'failed' | 'split';
}

export interface LedgerObserver {
  readRouted(route: ReadRoute['route'], reason: ReadRoute['reason']): void;
  batchApplied(report: BatchReport): void;
}

export const SILENT_OBSERVER: LedgerObserver = {
  readRouted: () => undefined,
  batchApplied: () => undefined,
};
