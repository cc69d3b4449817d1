import postgres from 'postgres';

/** After the listening connection is lost, the pause before listening again. */
const RELISTEN_DELAY_MS = 1_000;

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTEN on a connection of its own. postgres.js's `sql.listen` re-subscribes the moment
 * its connection closes, again and again while the server is down, which starved the
 * process (and held a shutting-down PostgreSQL open) in the bank test: here a lost
 * connection is followed by one attempt a second. `onSubscribed` runs after every
 * (re)subscription, since announcements may have been missed meanwhile.
 */
export function listenFor(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  onSubscribed: () => void,
): Promise<Listener> {
  let closing = false;
  let timer: NodeJS.Timeout | undefined;
  // `onnotify` is read by postgres.js but missing from its types: a variable, not a literal.
  const options = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => undefined,
    onnotify: (name: string, payload: string) => {
      if (name === channel) onPayload(payload);
    },
    onclose: () => {
      if (!closing) schedule();
    },
    connection: { application_name: 'wallet-ledger-listener' },
  };
  const sql = postgres(url, options);
  const subscribe = async () => {
    await sql.unsafe(`LISTEN "${channel.replaceAll('"', '""')}"`);
    onSubscribed();
  };
  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (closing) return;
      subscribe().catch(schedule);
    }, RELISTEN_DELAY_MS);
    timer.unref();
  }
  return subscribe().then(() => ({
    close: async () => {
      closing = true;
      clearTimeout(timer);
      await sql.end({ timeout: 1 });
    },
  }));
}
