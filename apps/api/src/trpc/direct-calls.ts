import {
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
  type TRPCError,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { TRPC_ERROR_CODE_KEY, TRPCResponse } from '@trpc/server/rpc';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { silentResolutionIn } from '../rest/json-body';
import type { Context } from './init';
import { appRouter } from './root';

/**
 * The tRPC calls a typed client makes all day (`httpLink`, `httpBatchLink`) answered
 * without tRPC's fetch adapter, which turns every request into a fetch Request and every
 * answer into a streamed fetch Response: measured at three times the API's CPU of the
 * same REST call. The procedures run exactly as through the adapter (same context,
 * middlewares, error formatter, status codes); anything else — a stream or a
 * subscription, a wrong method, an unknown procedure, input that is not plain JSON or
 * that the transformer refuses — is left to the adapter, which answers it in its words.
 */

export type CallInput =
  | { kind: 'read'; value: unknown }
  /** Not JSON, or not from the one place tRPC reads it: the adapter's to refuse. */
  | { kind: 'unreadable' }
  | { kind: 'refused'; code: TRPC_ERROR_CODE_KEY; message: string };

/**
 * The call's input as `JSON.parse` reads it (tRPC's reader), once every JSON text of
 * the request (body, `?input=`) has been checked for what `JSON.parse` would resolve
 * silently: a key given twice with different values (400), a number no double holds (422).
 */
export function readCallInput(request: FastifyRequest): CallInput {
  const { input } = request.query as { input?: unknown };
  for (const text of [request.body, input].flat()) {
    const found = typeof text === 'string' ? silentResolutionIn(text) : undefined;
    if (found?.kind === 'duplicate key') {
      const message = `Malformed JSON: the key '${found.key}' is given twice with different values`;
      return { kind: 'refused', code: 'BAD_REQUEST', message };
    }
    if (found?.kind === 'inexact number') {
      const message = `The input holds the number ${found.number}, which a double cannot carry exactly: send amounts as decimal text ("100.50")`;
      return { kind: 'refused', code: 'UNPROCESSABLE_CONTENT', message };
    }
  }
  if (request.method === 'GET' && input === undefined) return { kind: 'read', value: undefined };
  const source = request.method === 'GET' ? input : request.body;
  if (typeof source !== 'string' || !isJsonRequest(request)) return { kind: 'unreadable' };
  try {
    return { kind: 'read', value: JSON.parse(source) as unknown };
  } catch {
    return { kind: 'unreadable' };
  }
}

function isJsonRequest(request: FastifyRequest): boolean {
  if (request.method === 'GET') return true;
  return request.headers['content-type']?.startsWith('application/json') === true;
}

export interface DirectCall {
  /** The procedure path, decoded: one name, or a batch's names joined by commas. */
  path: string;
  input: unknown;
  createContext(): Context;
  onError: TrpcErrorHandler;
}

/** The adapter's `onError`, called the same way here. */
export type TrpcErrorHandler = (failure: {
  error: TRPCError;
  path: string | undefined;
  input: unknown;
  ctx: Context | undefined;
  type: CallType | 'subscription' | 'unknown';
  req: FastifyRequest;
}) => void;

type CallType = 'query' | 'mutation';

const METHOD_OF: Record<CallType, string> = { query: 'GET', mutation: 'POST' };

/** A procedure as tRPC's adapter calls it (`proc({ path, type, ctx, getRawInput, … })`). */
type CallableProcedure = ((call: {
  path: string;
  type: CallType;
  ctx: Context;
  batchIndex: number;
  signal: AbortSignal | undefined;
  getRawInput: () => Promise<unknown>;
}) => Promise<unknown>) & { _def: { type: CallType | 'subscription' } };

const procedures = appRouter._def.procedures as unknown as Record<string, CallableProcedure>;

interface PlannedCall {
  procedure: CallableProcedure;
  path: string;
  type: CallType;
  input: unknown;
}

/**
 * Answers the request when every call in it is a plain one; false, having sent nothing,
 * when the adapter should.
 */
export async function answerDirectly(
  request: FastifyRequest,
  reply: FastifyReply,
  call: DirectCall,
): Promise<boolean> {
  const isBatch = (request.query as { batch?: unknown }).batch === '1';
  const planned = planCalls(request, call, isBatch);
  if (planned === undefined) return false;
  const ctx = call.createContext();
  const config = appRouter._def._config;
  const answers = await Promise.all(
    planned.map(async ({ procedure, path, type, input }, batchIndex): Promise<TRPCResponse> => {
      try {
        const data = await procedure({
          path,
          type,
          ctx,
          batchIndex,
          signal: undefined,
          getRawInput: () => Promise.resolve(input),
        });
        return { result: { data } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        call.onError({ error, path, input, ctx, type, req: request });
        return { error: getTRPCErrorShape({ config, ctx, error, input, path, type }) };
      }
    }),
  );
  const untransformed = isBatch ? answers : (answers[0] as TRPCResponse);
  void reply
    .code(getHTTPStatusCode(untransformed))
    .header('vary', 'trpc-accept, accept')
    .header('content-type', 'application/json')
    // The text is JSON already. Without a serializer of the reply's own, Fastify would
    // add "; charset=utf-8", which tRPC's adapter does not send; as text (not bytes),
    // Node writes headers and body in one write.
    .serializer(sendAsItIs)
    .send(JSON.stringify(transformTRPCResponse(config, untransformed)));
  return true;
}

function sendAsItIs(text: string): string {
  return text;
}

/** Each call's procedure, type and deserialized input; undefined for the adapter's cases. */
function planCalls(
  request: FastifyRequest,
  call: DirectCall,
  isBatch: boolean,
): PlannedCall[] | undefined {
  // A stream (httpBatchStreamLink) or an event stream (subscriptions): the adapter's.
  if (request.headers['trpc-accept'] !== undefined) return undefined;
  // tRPC's batch input is an object keyed by call index (or none at all).
  if (isBatch && call.input !== undefined && !isPlainObject(call.input)) return undefined;
  const paths = isBatch ? call.path.split(',') : [call.path];
  const planned: PlannedCall[] = [];
  for (const [index, path] of paths.entries()) {
    const procedure = plainProcedureAt(path, request.method);
    if (procedure === undefined) return undefined;
    const type = procedure._def.type as CallType;
    const raw = isBatch ? (call.input as Record<string, unknown> | undefined)?.[index] : call.input;
    const input = raw === undefined ? undefined : deserialized(raw);
    if (input === NOT_DESERIALIZABLE) return undefined;
    planned.push({ procedure, path, type, input });
  }
  return planned;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The query (by GET) or mutation (by POST) at the path; undefined for anything else. */
function plainProcedureAt(path: string, method: string): CallableProcedure | undefined {
  const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  const type = procedure?._def.type;
  if (type === undefined || type === 'subscription' || METHOD_OF[type] !== method) return undefined;
  return procedure;
}

const NOT_DESERIALIZABLE = Symbol('not deserializable');

function deserialized(raw: unknown): unknown {
  try {
    return appRouter._def._config.transformer.input.deserialize(raw);
  } catch {
    return NOT_DESERIALIZABLE;
  }
}
