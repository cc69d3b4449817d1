import { readFileSync } from 'node:fs';

/**
 * A process's CPU time and resident memory, read from /proc (Linux). Resident memory from /proc/<pid>/status (Linux): VmRSS sampled on
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

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** The CPU time (user + system) the process has used so far, in ms; undefined without /proc. */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}
