import { readFileSync } from 'node:fs';

/**
 * A process's resident memory, read from /proc/<pid>/status (Linux): VmRSS sampled on
 * an interval for the peak during a window, and VmHWM for the peak of its whole life.
 */

function statusFieldMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

export interface RssSampler {
  /** Stops sampling; the highest VmRSS seen, in MB (undefined if /proc was unreadable). */
  stop(): number | undefined;
}

export function sampleRss(pid: number, intervalMs: number): RssSampler {
  let peak: number | undefined;
  const read = () => {
    const rss = statusFieldMb(pid, 'VmRSS');
    if (rss !== undefined) peak = Math.max(peak ?? 0, rss);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      read();
      return peak;
    },
  };
}

/** The process's peak resident memory so far (VmHWM), in MB. */
export function highWaterMarkMb(pid: number): number | undefined {
  return statusFieldMb(pid, 'VmHWM');
}
