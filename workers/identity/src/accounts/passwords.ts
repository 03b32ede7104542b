import { bulkhead } from "cockatiel";

/** Sign-ins waiting for a hashing slot beyond this are turned away (BulkheadRejectedError) rather than queued without end. */
const MAX_WAITING = 256;

/**
 * Password hashing with argon2id (Bun.password), at most `concurrency` hashes at a time: each
 * one takes 64 MiB and a core for a while, so a burst of sign-ins waits here instead of
 * running the process out of memory.
 */
export function createPasswords(concurrency: number) {
  const slots = bulkhead(concurrency, MAX_WAITING);
  // Checked against when the account does not exist, so that takes as long as a wrong password.
  let decoy: Promise<string> | undefined;
  const hash = (password: string) => slots.execute(() => Bun.password.hash(password, { algorithm: "argon2id" }));
  return {
    hash,
    /** True when `password` matches `stored`; with no stored hash, false after the same work. */
    async verify(password: string, stored: string | undefined): Promise<boolean> {
      if (stored === undefined) {
        decoy ??= hash("no account has this password");
        await slots.execute(async () => Bun.password.verify(password, await decoy!));
        return false;
      }
      return slots.execute(() => Bun.password.verify(password, stored));
    },
  };
}

export type Passwords = ReturnType<typeof createPasswords>;
