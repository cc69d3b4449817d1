import {
  createOperatorInput,
  disableOperatorInput,
  listPageInput,
  type AccessRole,
  type CreateOperatorInput,
  type DisableOperatorInput,
  type ListPageInput,
} from '@wallet/contract';
import { recordAudit, schema, type Db, type WriteContext } from '@wallet/db';
import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';

import { OperatorNotFoundError, UsernameTakenError } from './errors';
import { pageOf, parseInput, uuidCursor } from './input';
import { hashPassword } from './passwords';
import type { OperatorInfo, Page } from './types';

const { operators, sessions } = schema;

export function toOperatorInfo(row: typeof operators.$inferSelect): OperatorInfo {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    disabledAt: row.disabledAt,
  };
}

function isUsernameTaken(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; constraint_name?: string } }).cause;
  return cause?.code === '23505' && cause.constraint_name === 'operators_username_unique';
}

/** Inserts an operator (password hashed before) and its audit row, on `executor`. */
export async function insertOperator(
  executor: Pick<Db, 'insert'>,
  request: { username: string; passwordHash: string; role: AccessRole },
  context: WriteContext,
): Promise<OperatorInfo> {
  const id = uuidv7();
  const [row] = await executor
    .insert(operators)
    .values({ id, ...request, createdBy: context.actor })
    .returning()
    .catch((error: unknown) => {
      throw isUsernameTaken(error) ? new UsernameTakenError(request.username) : error;
    });
  if (!row) throw new Error('insert returned no operator');
  await recordAudit(executor, [
    {
      ...context,
      action: 'users.create',
      target: `user:${id}`,
      outcome: 'success',
      details: { username: request.username, role: request.role },
    },
  ]);
  return toOperatorInfo(row);
}

export async function createOperator(
  db: Db,
  input: CreateOperatorInput,
  context: WriteContext,
): Promise<OperatorInfo> {
  const request = parseInput(createOperatorInput, input);
  const passwordHash = await hashPassword(request.password);
  return db.transaction((tx) =>
    insertOperator(tx, { username: request.username, passwordHash, role: request.role }, context),
  );
}

export async function listOperators(db: Db, input: ListPageInput): Promise<Page<OperatorInfo>> {
  const request = parseInput(listPageInput, input);
  const cursor = uuidCursor(request.cursor);
  const rows = await db
    .select()
    .from(operators)
    .where(cursor === undefined ? undefined : lt(operators.id, cursor))
    .orderBy(desc(operators.id))
    .limit(request.limit + 1);
  return pageOf(rows.map(toOperatorInfo), request.limit, (operator) => operator.id);
}

/** Disables an account and ends its sessions, in one transaction with the audit row. */
export async function disableOperator(
  db: Db,
  input: DisableOperatorInput,
  context: WriteContext,
): Promise<OperatorInfo> {
  const { id } = parseInput(disableOperatorInput, input);
  return db.transaction(async (tx) => {
    const now = new Date();
    const [disabled] = await tx
      .update(operators)
      .set({ disabledAt: now })
      .where(and(eq(operators.id, id), isNull(operators.disabledAt)))
      .returning();
    const row = disabled ?? (await tx.select().from(operators).where(eq(operators.id, id)))[0];
    if (!row) throw new OperatorNotFoundError(id);
    await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.operatorId, id), isNull(sessions.revokedAt)));
    await recordAudit(tx, [
      {
        ...context,
        action: 'users.disable',
        target: `user:${id}`,
        outcome: 'success',
        details: { username: row.username, alreadyDisabled: disabled === undefined },
      },
    ]);
    return toOperatorInfo(row);
  });
}
