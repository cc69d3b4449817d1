'use client';

import { useId, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import { z } from 'zod';

import { describeProblem, type Operation, type ProblemReport } from './errors';

/** The message of each field in error, by the form's name for the field. */
export type FieldErrors = Partial<Record<string, string>>;

export interface ZodFormOptions<Fields, Schema extends z.ZodType, Result> {
  /** The contract's input schema (the one tRPC and REST validate with): fields, then the input sent. */
  schema: Schema;
  /** The fields' first values, and what `reset` puts back. */
  initial: Fields;
  /** The schema's input from the fields; by default the fields as typed (a password keeps its spaces). */
  toInput?: (values: Fields) => unknown;
  /** The form's name for a field the schema names otherwise: `{ receiverWalletId: 'receiver' }`. */
  fieldNames?: Partial<Record<string, string>>;
  /** Checks beyond the schema, on its output. */
  check?: (data: z.output<Schema>) => FieldErrors;
  /**
   * Checks of the fields' text that the schema cannot make, because toInput reads the text
   * into another shape (key=value lines into metadata); shown beside the schema's errors.
   */
  checkFields?: (values: Fields) => FieldErrors;
  /** The input to send, from the schema's output (e.g. with its idempotency key). */
  prepare?: (data: z.output<Schema>) => z.output<Schema>;
  mutation: { mutateAsync: (input: z.output<Schema>) => Promise<Result>; isPending: boolean };
  /** The operation the problems shown speak of (see `describeProblem`). */
  operation: Operation;
  /** The server's error in the operator's words; by default `describeProblem`. */
  describe?: (error: unknown) => ProblemReport;
  /** The success message (and whatever else a success does). */
  succeeded: (result: Result, input: z.output<Schema>) => ReactNode;
  /** A server error that means an earlier attempt succeeded: its success message, else undefined. */
  recover?: (error: unknown) => ReactNode;
  /** The fields put back to their first value after a success. */
  clearOnSuccess?: readonly (keyof Fields)[];
  /** Run after every submission that reached the server (e.g. invalidate queries). */
  settled?: () => Promise<unknown>;
}

/** The first message of each top-level field (zod's flattened errors), renamed to the form's names. */
function fieldErrorsOf(error: z.ZodError, fieldNames: Partial<Record<string, string>>) {
  const errors: FieldErrors = {};
  const flat = z.flattenError(error) as { fieldErrors: Partial<Record<string, string[]>> };
  for (const [field, messages] of Object.entries(flat.fieldErrors)) {
    errors[fieldNames[field] ?? field] = messages?.[0];
  }
  return errors;
}

/** The input to send, or the errors to show by each field. */
function validate<Fields, Schema extends z.ZodType, Result>(
  options: ZodFormOptions<Fields, Schema, Result>,
  values: Fields,
): { input: z.output<Schema> } | { errors: FieldErrors } {
  const {
    schema,
    toInput = (fields: Fields): unknown => fields,
    fieldNames = {},
    check,
    checkFields,
    prepare,
  } = options;
  const textErrors = Object.entries(checkFields?.(values) ?? {}).filter(([, message]) => message);
  const parsed = schema.safeParse(toInput(values));
  if (!parsed.success) {
    return {
      errors: { ...fieldErrorsOf(parsed.error, fieldNames), ...Object.fromEntries(textErrors) },
    };
  }
  if (textErrors.length > 0) return { errors: Object.fromEntries(textErrors) };
  const found = Object.entries(check?.(parsed.data) ?? {}).filter(([, message]) => message);
  if (found.length > 0) return { errors: Object.fromEntries(found) };
  return { input: prepare ? prepare(parsed.data) : parsed.data };
}

/**
 * One form's state over a contract schema and a tRPC mutation: the field values, the field
 * errors the schema (and `check`) find, a guard against a second click, and the outcome
 * (a problem in the operator's words, or a success message).
 */
export function useZodForm<Fields, Schema extends z.ZodType, Result>(
  options: ZodFormOptions<Fields, Schema, Result>,
) {
  const id = useId();
  const inFlight = useRef(false);
  const [values, setValues] = useState(options.initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ProblemReport>();
  const [done, setDone] = useState<ReactNode>();

  function set<Name extends keyof Fields>(name: Name, value: Fields[Name]) {
    setValues((current) => ({ ...current, [name]: value }));
  }

  function succeed(message: ReactNode) {
    const cleared = options.clearOnSuccess ?? [];
    setValues((current) => {
      const next = { ...current };
      for (const name of cleared) next[name] = options.initial[name];
      return next;
    });
    setDone(message);
  }

  async function send(input: z.output<Schema>) {
    const { mutation, operation, describe, recover, succeeded, settled } = options;
    inFlight.current = true;
    try {
      succeed(succeeded(await mutation.mutateAsync(input), input));
    } catch (error) {
      const recovered = recover?.(error);
      if (recovered !== undefined) succeed(recovered);
      else setProblem(describe ? describe(error) : describeProblem(error, operation));
    } finally {
      inFlight.current = false;
      await settled?.();
    }
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return; // a second click before the button disables itself
    setProblem(undefined);
    setDone(undefined);
    const checked = validate(options, values);
    setErrors('errors' in checked ? checked.errors : {});
    if ('input' in checked) await send(checked.input);
  }

  /** The props of a text control bound to one field. */
  function text(name: keyof Fields & string) {
    return {
      value: values[name] as string,
      onChange: (value: string) => {
        set(name, value as Fields[typeof name]);
      },
    };
  }

  return {
    id,
    values,
    set,
    text,
    errors,
    problem,
    done,
    pending: options.mutation.isPending,
    onSubmit,
  };
}

/** A form's state, for the components that render part of it. */
export type ZodForm<Fields> = ReturnType<typeof useZodForm<Fields, z.ZodType, unknown>>;
