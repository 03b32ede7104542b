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
    const got = known[name];
    throw new ConfigError(
      `${name}: ${issue.message}${got === undefined ? "" : ` (got ${JSON.stringify(got)})`}`,
    );
  }
  return Object.freeze(parsed.data);
}

/** The variable names a config schema knows (the deploy checks use this). */
export function configKeys(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape);
}
