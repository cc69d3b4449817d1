function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Local time as "2026-11-25 14:03:09": sortable and unambiguous in every locale. */
export function formatDateTime(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** Local time of day as "14:03", for a moment within the current session. */
export function formatTimeOfDay(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const counts = new Intl.NumberFormat('en-US');

/** A count with digit grouping: 12345 → "12,345". */
export function formatCount(count: number): string {
  return counts.format(count);
}

/**
 * The last 8 digits of a UUID, enough to tell wallets apart on screen (the full id goes in
 * a title or label). Not the first: wallet ids are time-ordered (UUIDv7), so wallets
 * created close together share their leading digits.
 */
export function shortId(id: string): string {
  return `…${id.slice(-8)}`;
}
