import { parseArgs } from "node:util";

/** A flag of an operator command, as parseArgs takes it, with what --help says about it. */
export interface Flag {
  type: "string" | "boolean";
  default?: string | boolean;
  /** The placeholder --help shows for a string flag's value: `--clients N`. */
  value?: string;
  description: string;
}

export interface CommandSpec<F extends Record<string, Flag>> {
  /** As typed after `npm run`: `chaos`, `rebuild:mypage`. */
  name: string;
  summary: string;
  /** What follows `npm run <name> --`, such as `list|redrive|drop [ID ...]`; empty for flags only. */
  usage?: string;
  flags: F;
  examples: string[];
  /** Further paragraphs of --help: settings read from the environment, what it runs against. */
  notes?: string[];
}

type Values<F extends Record<string, Flag>> = {
  [K in keyof F]: F[K]["type"] extends "boolean" ? boolean : F[K] extends { default: string } ? string : string | undefined;
};

/** A wrong flag or argument: reported in one line with a pointer to --help, exit 2. */
export class UsageError extends Error {}

const EXIT_USAGE = 2;
const EXIT_FAILED = 1;

/** Prints `<command>: <message>` on stderr and exits; an operator sees one line, never a stack. */
export function fail(command: string, message: string, code = EXIT_FAILED): never {
  console.error(`${command}: ${message}`);
  process.exit(code);
}

const errorLine = (error: unknown): string => (error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error));

/**
 * Anything thrown and not handled ends the command in one line (the stack only with DEBUG set):
 * a UsageError with exit 2, anything else with exit 1.
 */
function exitInOneLine(command: string) {
  const handler = (error: unknown) => {
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
    if (error instanceof UsageError) fail(command, `${error.message} (see npm run ${command} -- --help)`, EXIT_USAGE);
    fail(command, errorLine(error));
  };
  process.on("uncaughtException", handler);
  process.on("unhandledRejection", handler);
}

/** The --help text: usage, summary, every flag with its default, notes and examples. */
function helpText<F extends Record<string, Flag>>(spec: CommandSpec<F>): string {
  const flag = ([name, f]: [string, Flag]) => {
    const head = `  --${name}${f.type === "string" ? ` ${f.value ?? "VALUE"}` : ""}`;
    const def = f.default !== undefined && f.type === "string" ? ` (default ${f.default})` : "";
    return `${head.padEnd(28)} ${f.description}${def}`;
  };
  const flags = [...Object.entries(spec.flags), ["help", { type: "boolean", description: "print this help and exit" }] as [string, Flag]];
  return [
    `usage: npm run ${spec.name} --${spec.usage ? ` ${spec.usage}` : ""} [flags]`,
    "",
    spec.summary,
    "",
    "flags:",
    ...flags.map(flag),
    ...(spec.notes ?? []).flatMap((n) => ["", n]),
    "",
    "examples:",
    ...spec.examples.map((e) => `  ${e}`),
  ].join("\n");
}

/**
 * Parses an operator command's arguments (strict: an unknown flag is a usage error), prints
 * --help and exits when asked, and makes every later failure a one-line exit.
 */
export function parseCommand<F extends Record<string, Flag>>(spec: CommandSpec<F>, argv = process.argv.slice(2)) {
  exitInOneLine(spec.name);
  const all: [string, Pick<Flag, "type" | "default">][] = [...Object.entries(spec.flags), ["help", { type: "boolean" }]];
  const options = Object.fromEntries(all.map(([name, f]) => [name, { type: f.type, ...(f.default === undefined ? {} : { default: f.default }) }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: spec.usage !== undefined, strict: true });
  } catch (error) {
    fail(spec.name, `${errorLine(error)} (see npm run ${spec.name} -- --help)`, EXIT_USAGE);
  }
  if (parsed.values.help) {
    console.log(helpText(spec));
    process.exit(0);
  }
  return { values: parsed.values as Values<F>, positionals: parsed.positionals };
}
