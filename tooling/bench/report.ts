/**
 * The user-path bench's table and targets (issue 14), from one run's figures: each HTTP
 * scenario beside its raw floor, tRPC beside REST.
 */

export interface Measurement {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  rssMb?: number;
  /** The API process's CPU time over the scenario, per request answered. */
  apiCpuMsPerRequest?: number;
  /** Webhook deliveries the bench's receiver got per second during the scenario. */
  webhooksPerSecond?: number;
}

const FLOORS = {
  uniform: { floor: 'raw 1-RT uniform', target: 1.2 },
  hot: { floor: 'raw batched hot', target: 0.35 },
  reads: { floor: 'raw reads', target: 0.3 },
} as const;
const TRPC_VS_REST = 0.9;
const RSS_MB_MAX = 250;

export function printReport(
  results: ReadonlyMap<string, Measurement>,
  run: { connections: number; durationS: number; webhooks?: string },
): void {
  const rows = [...results].map(([scenario, result]) => ({
    scenario,
    'ops/s': Math.round(result.perSecond),
    'p50 ms': round1(result.p50Ms),
    'p99 ms': round1(result.p99Ms),
    failed: result.failed,
    'vs floor': ratioText(vsFloor(results, scenario)),
    'vs REST': scenario.startsWith('tRPC') ? ratioText(vsRest(results, scenario)) : '',
    'API RSS MB': result.rssMb === undefined ? '' : String(Math.round(result.rssMb)),
    'API CPU ms/req':
      result.apiCpuMsPerRequest === undefined ? '' : String(round2(result.apiCpuMsPerRequest)),
    'webhooks/s':
      result.webhooksPerSecond === undefined ? '' : String(Math.round(result.webhooksPerSecond)),
  }));
  console.log(
    `\nThe service as \`pnpm start\` runs it; ${run.connections} connections, ${run.durationS} s per scenario.` +
      ' failed = errors + non-2xx. Floors: raw SQL on the same database in the same run.' +
      " API CPU ms/req: the API process's CPU time over the scenario per request (steadier than ops/s on a shared machine)." +
      (run.webhooks ? ` ${run.webhooks}` : ''),
  );
  console.table(rows);

  const targets: { what: string; measured: string; target: string; met: string }[] = [];
  for (const [kind, { floor, target }] of Object.entries(FLOORS)) {
    targets.push(check(`REST ${kind} vs ${floor}`, vsFloor(results, `REST ${kind}`), target, '≥'));
    for (const client of ['tRPC', 'tRPC batch']) {
      const name = `${client} ${kind}`;
      targets.push(check(`${name} vs REST ${kind}`, vsRest(results, name), TRPC_VS_REST, '≥'));
    }
  }
  const fundName = ['tRPC fund', 'tRPC batch fund'];
  for (const name of fundName) {
    targets.push(check(`${name} vs REST fund`, vsRest(results, name), TRPC_VS_REST, '≥'));
  }
  const overHttp = [...results].filter(([name]) => !name.startsWith('raw'));
  const floorsFailed = [...results].filter(([name, r]) => name.startsWith('raw') && r.failed > 0);
  for (const [name, result] of floorsFailed) {
    targets.push({
      what: `${name} floor ran clean`,
      measured: `${result.failed} failed`,
      target: '0',
      met: 'MISSED',
    });
  }
  const rss = Math.max(0, ...overHttp.map(([, result]) => result.rssMb ?? 0));
  targets.push(check('API peak RSS (MB)', rss > 0 ? rss : undefined, RSS_MB_MAX, '<'));
  const failed = overHttp.reduce((sum, [, result]) => sum + result.failed, 0);
  targets.push({
    what: 'failed requests',
    measured: String(failed),
    target: '0',
    met: failed === 0 ? 'met' : 'MISSED',
  });
  console.log('\nIssue 14 targets, from this run:');
  console.table(targets);
}

function vsFloor(results: ReadonlyMap<string, Measurement>, scenario: string) {
  const kind = Object.keys(FLOORS).find((k) => scenario.endsWith(` ${k}`)) as
    keyof typeof FLOORS | undefined;
  if (!kind || scenario.startsWith('raw')) return undefined;
  return ratio(results.get(scenario), results.get(FLOORS[kind].floor));
}

function vsRest(results: ReadonlyMap<string, Measurement>, scenario: string) {
  const kind = scenario.split(' ').at(-1) ?? '';
  return ratio(results.get(scenario), results.get(`REST ${kind}`));
}

/** No ratio against a run that failed: a failing floor (or service) is fast at failing. */
function ratio(over: Measurement | undefined, under: Measurement | undefined) {
  if (!over || !under || under.perSecond <= 0) return undefined;
  if (over.failed > 0 || under.failed > 0) return undefined;
  return over.perSecond / under.perSecond;
}

function check(what: string, value: number | undefined, bound: number, relation: '≥' | '<') {
  const met =
    value === undefined
      ? 'not measured'
      : (relation === '≥' ? value >= bound : value < bound)
        ? 'met'
        : 'MISSED';
  return {
    what,
    measured: value === undefined ? '—' : String(round2(value)),
    target: `${relation} ${bound}`,
    met,
  };
}

function ratioText(value: number | undefined): string {
  return value === undefined ? '' : `${round2(value)}×`;
}

/** Ratios and latencies for the table (never money). */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
