import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startApi, type RunningApi } from './support/api';

/**
 * /openapi.json passes Redocly's `recommended` ruleset with no error and no warning: the
 * document a client generator or a portal reads is complete (servers, license, operation
 * ids, a 4xx for every operation, …), not merely valid.
 */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

it('passes Redocly’s recommended lint with 0 errors and 0 warnings', async () => {
  const document = await api.http.get('/openapi.json');
  expect(document.status).toBe(200);
  const problems = await lintFromString({
    source: JSON.stringify(document.body),
    absoluteRef: 'openapi.json',
    config: await createConfig({ extends: ['recommended'] }),
  });
  const found = problems.map(
    (problem) =>
      `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location
        .map((location) => location.pointer)
        .join(', ')}`,
  );
  expect(found).toEqual([]);
});
