/**
 * The one deadline helper: `work`'s outcome, or `onExpired()`'s once `deadlineMs` have
 * passed first (its return value, or what it throws). The timer is cleared either way,
 * so a settled wait leaves nothing behind to keep the process alive. Every bounded wait
 * of the tree uses it: a group-commit batch, a flush of the shared rate-limit counters,
 * a harness waiting for a process.
 */
export async function settleWithin<T>(
  work: Promise<T>,
  deadlineMs: number,
  onExpired: () => T,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onExpired());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }, deadlineMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
