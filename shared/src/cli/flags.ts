import { UsageError } from "./command.ts";

/** A flag's value as a whole number of at least 1: `--clients 0` names --clients, not seconds. */
export function positiveInteger(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isInteger(n) || n < 1) {
    throw new UsageError(`--${flag} must be a positive whole number (got ${JSON.stringify(value)})`);
  }
  return n;
}

/** A flag's value as a whole number that may be 0: `--reads 0` for none. */
export function wholeNumber(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isInteger(n) || n < 0) {
    throw new UsageError(`--${flag} must be a whole number (got ${JSON.stringify(value)})`);
  }
  return n;
}

/** A flag given in seconds, above 0 (fractions allowed), returned in milliseconds. */
export function positiveSeconds(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${flag} must be a positive number of seconds (got ${JSON.stringify(value)})`);
  }
  return n * 1000;
}

/** A flag whose value is one of `allowed`. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined || !allowed.includes(value as T)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}
