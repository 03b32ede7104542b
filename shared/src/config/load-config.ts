import { z } from "zod";

/** A setting failed validation; `message` is the one line a person needs to fix it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses the environment once against a schema whose keys are the variable names.
 * Throws ConfigError naming the first bad variable; `main.ts` prints it and exits.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.infer<S>> {
  const known: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") known[key] = value;
  }
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const got = shown(name, known[name]);
    throw new ConfigError(`${name}: ${issue.message}${got === undefined ? "" : ` (got ${got})`}`);
  }
  return Object.freeze(parsed.data);
}

/** Variables whose values are never printed, even when they are wrong. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY/i;

/** A value as an error message may show it: secrets withheld, credentials inside URLs masked. */
export function shown(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (SECRET_NAME.test(name)) return "a value that is not shown";
  return JSON.stringify(redactUrl(value));
}

/** `redis://user:secret@host` → `redis://user:***@host`; anything else unchanged. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]*)@/i, (_, scheme: string, auth: string) => {
    const user = auth.includes(":") ? auth.slice(0, auth.indexOf(":")) : "";
    return `${scheme}${user ? `${user}:` : ""}***@`;
  });
}
