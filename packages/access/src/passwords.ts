import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 60 ms per
 * hash on this machine. Parameters live in each PHC string, so raising them later keeps
 * old hashes verifiable.
 */
const ARGON2_OPTIONS = {
  // Algorithm.Argon2id: a const enum, which isolated modules cannot read by name.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the same value
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash: a sign-in with an unknown username costs as much as
 * one with a known username, so response times do not tell which usernames exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not a password of anyone');
  await verifyPassword(await dummyHash, password);
}
