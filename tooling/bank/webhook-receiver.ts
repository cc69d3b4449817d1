import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Webhook } from 'standardwebhooks';

/**
 * The webhook receiver the bank and storm tests run on 127.0.0.1, written as an operator
 * would write one (docs/webhooks.md): every request's signature is checked with the
 * `standardwebhooks` package, on the raw body, before anything else; events are
 * deduplicated by `webhook-id`. It also answers 500 when told to (a fraction of requests,
 * or all of them for a while), and measures how many requests for one event were in
 * flight at once.
 */

/** A body larger than this is no delivery of ours: refused, counted as invalid. */
const BODY_BYTES_MAX = 64 * 1024;

export interface ReceivedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** What the receiver answers one correctly signed request: 2xx accepts it. */
export type Answer = (event: ReceivedEvent) => number;

export interface ReceiverCounts {
  /** Requests of any kind. */
  requests: number;
  /** Distinct events accepted (answered 2xx). */
  accepted: number;
  /** Accepted again: a delivery repeated after a success the service did not record. */
  duplicates: number;
  /** Answered 500 on purpose. */
  refused: number;
  invalidSignatures: number;
  /** The most requests for one event in flight at once (1: never two at once). */
  concurrentPerEventMax: number;
}

export class WebhookReceiver {
  private readonly events = new Map<string, ReceivedEvent>();
  private readonly inFlight = new Map<string, number>();
  private webhook: Webhook | undefined;
  private readonly counts: ReceiverCounts = {
    requests: 0,
    accepted: 0,
    duplicates: 0,
    refused: 0,
    invalidSignatures: 0,
    concurrentPerEventMax: 0,
  };
  /** The first few reasons a request was refused as unsigned, for the report. */
  readonly invalidDetails: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private answer: Answer,
    private readonly holdMs: () => number,
  ) {}

  /** Listens on 127.0.0.1 at a port of the system's choice. */
  static async start(
    options: { answer?: Answer; holdMs?: () => number } = {},
  ): Promise<WebhookReceiver> {
    const server = http.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const receiver = new WebhookReceiver(
      server,
      `http://127.0.0.1:${port}/ledger-hooks`,
      options.answer ?? (() => 200),
      options.holdMs ?? (() => 0),
    );
    server.on('request', (request, response) => {
      receiver.handle(request, response);
    });
    return receiver;
  }

  /** The endpoint's secret, from the answer that registered it. */
  setSecret(secret: string): void {
    this.webhook = new Webhook(secret);
  }

  answerWith(answer: Answer): void {
    this.answer = answer;
  }

  has(eventId: string): boolean {
    return this.events.has(eventId);
  }

  received(): ReceivedEvent[] {
    return [...this.events.values()];
  }

  figures(): ReceiverCounts {
    return { ...this.counts, accepted: this.events.size };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.counts.requests++;
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_BYTES_MAX) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > BODY_BYTES_MAX) {
        this.invalid(`a body of ${size} bytes`);
        response.writeHead(413).end();
        return;
      }
      const event = this.verified(Buffer.concat(chunks).toString('utf8'), request.headers);
      if (event === undefined) {
        response.writeHead(400).end();
        return;
      }
      this.answerLater(event, response);
    });
  }

  /** The event, if the signature over the raw body verifies; else counted as invalid. */
  private verified(body: string, headers: http.IncomingHttpHeaders): ReceivedEvent | undefined {
    if (!this.webhook) {
      this.invalid('a request before the secret was known');
      return undefined;
    }
    const flat = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, String(value)]),
    );
    try {
      const event = this.webhook.verify(body, flat) as ReceivedEvent;
      if (event.id !== flat['webhook-id']) throw new Error('the body names another event');
      return event;
    } catch (error) {
      this.invalid(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  private answerLater(event: ReceivedEvent, response: http.ServerResponse): void {
    const open = (this.inFlight.get(event.id) ?? 0) + 1;
    this.inFlight.set(event.id, open);
    this.counts.concurrentPerEventMax = Math.max(this.counts.concurrentPerEventMax, open);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.inFlight.set(event.id, (this.inFlight.get(event.id) ?? 1) - 1);
    };
    // The sender may give up (timeout, kill -9) before the answer: no longer in flight.
    response.on('close', finish);
    const reply = () => {
      finish();
      const status = this.answer(event);
      if (status >= 200 && status < 300) this.accept(event);
      else this.counts.refused++;
      response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    };
    const holdMs = this.holdMs();
    if (holdMs <= 0) reply();
    else setTimeout(reply, holdMs);
  }

  private accept(event: ReceivedEvent): void {
    if (this.events.has(event.id)) this.counts.duplicates++;
    else this.events.set(event.id, event);
  }

  private invalid(detail: string): void {
    this.counts.invalidSignatures++;
    if (this.invalidDetails.length < INVALID_DETAILS_MAX) this.invalidDetails.push(detail);
  }
}

const INVALID_DETAILS_MAX = 5;
