import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse } from "@babel/parser";

/**
 * Every reference in a comment or a doc leads somewhere inside the repository: a newcomer
 * has the tree and nothing else. Paths are checked against the working tree, section
 * references ("docs/architecture.md, 'Outbox'") against the headings of the file they name.
 */
const ROOT = join(import.meta.dir, "../..");
const SKIP = new Set(["node_modules", ".git", "data", "coverage", "artifacts", "package-lock.json"]);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(ROOT, path)];
  });
}

const files = walk(ROOT);
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const textFiles = files.filter((f) => !readFileSync(join(ROOT, f)).includes(0));
const markdown = files.filter((f) => f === "README.md" || /^docs\/[^/]+\.md$/.test(f));
const typescript = files.filter((f) => f.endsWith(".ts"));
const hashCommented = files.filter((f) => /(^|\/)(Dockerfile|\.dockerignore|run)$|\.(ya?ml|toml|sh)$/.test(f));
/** Top-level entries of the tree: a token starting with one of these and a slash is a repo path. */
const TOP = readdirSync(ROOT).filter((n) => !SKIP.has(n) && statSync(join(ROOT, n)).isDirectory());

/** Names of documents kept outside the repository, and numbered items of a tracker. */
const OUTSIDE = new RegExp(`\\b(${["DESIGN", "CONTRACT", "STYLE"].join("|")})\\.md\\b|\\b(${["decision", "issue"].join("|")}) #?\\d+`, "i");

/** The comments of a TypeScript file, one string each, with their `*` and `//` margins removed. */
function tsComments(file: string): string[] {
  const ast = parse(read(file), { sourceType: "module", plugins: ["typescript", "jsx", "decorators-legacy"], errorRecovery: true });
  return (ast.comments ?? []).map((c) => c.value.replace(/\n\s*\*?/g, "\n"));
}

/** `# …` comments of Dockerfiles, shell scripts, YAML and TOML, as lines. */
function hashComments(file: string): string[] {
  return read(file).split("\n").flatMap((line) => {
    const at = line.search(/(^|\s)#/);
    return at < 0 ? [] : [line.slice(at).replace(/^\s*#+/, "")];
  });
}

/** Markdown with fenced code blocks removed (they hold commands and output, not references). */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, "");

const joinLines = (text: string) => text.replace(/\s*\n\s*/g, " ");

/** Every place that refers to something: [file, text], comments for code, prose for docs. */
const sources: [string, string][] = [
  ...markdown.map((f): [string, string] => [f, prose(read(f))]),
  ...typescript.flatMap((f) => tsComments(f).map((c): [string, string] => [f, c])),
  ...hashCommented.flatMap((f) => hashComments(f).map((c): [string, string] => [f, c])),
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]{}\\]/g, "\\$&");

/** Whether a repo path exists; `<name>` and `*` stand for any characters of one entry, `...` ends a prefix. */
function exists(path: string): boolean {
  const clean = path.replace(/:\d+(-\d+)?(,\d+(-\d+)?)*$/, "").replace(/\/?(\.\.\.|…)$/, "/").replace(/\/$/, "");
  const step = (base: string, parts: string[]): boolean => {
    if (parts.length === 0) return true;
    const [head, ...rest] = parts as [string, ...string[]];
    if (/<[^>]+>|\*/.test(head)) {
      const dir = join(ROOT, base);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
      const pattern = new RegExp(`^${head.split(/<[^>]+>|\*/).map(escapeRegExp).join(".+")}$`);
      return readdirSync(dir).filter((n) => !SKIP.has(n) && pattern.test(n)).some((n) => step(join(base, n), rest));
    }
    return existsSync(join(ROOT, base, head)) && step(join(base, head), rest);
  };
  return step("", clean.split("/"));
}

const PATH_CHARS = String.raw`[\w.<>*-]`;
/** A repo path: a top-level directory, a slash, then path characters (a trailing dot is prose). */
const repoPath = new RegExp(String.raw`(?<![\w./@:-])(?:${TOP.map(escapeRegExp).join("|")})/(?:${PATH_CHARS}|/)*(?:[\w>*/]|\.\.\.)`, "g");

function pathsIn(file: string, text: string): string[] {
  if (file.endsWith(".md")) {
    // In docs, only backticked paths: bare words like "rental/payment" are prose.
    return [...text.matchAll(/`([^`\s]+)`/g)].flatMap((m) => (m[1]!.match(repoPath) ?? []).filter((p) => m[1]!.startsWith(p)));
  }
  return text.match(repoPath) ?? [];
}

function headings(file: string): string[] {
  return read(file).split("\n").filter((l) => /^#{1,6} /.test(l)).map((l) => l.replace(/^#+\s+/, "").trim());
}

describe("references", () => {
  test("nothing cites documents or trackers outside the repository", () => {
    const hits = textFiles.flatMap((f) =>
      read(f).split("\n").flatMap((line, i) => (OUTSIDE.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  test("every repo path named in a comment or a doc exists", () => {
    const missing = sources.flatMap(([file, text]) => pathsIn(file, text).filter((p) => !exists(p)).map((p) => `${file}: ${p}`));
    expect([...new Set(missing)]).toEqual([]);
  });

  test("every relative markdown link leads to a file of the repository", () => {
    const broken = markdown.flatMap((file) =>
      [...prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1]!.split("#")[0]!)
        .filter((target) => target !== "" && !/^[a-z]+:/i.test(target))
        .filter((target) => !existsSync(join(ROOT, dirname(file), target)))
        .map((target) => `${file}: ${target}`),
    );
    expect(broken).toEqual([]);
  });

  test("every \"<file>.md, 'Section'\" names a heading of that file", () => {
    const wrong = sources.flatMap(([file, text]) =>
      [...joinLines(text).matchAll(/([\w./-]+\.md),\s+'([^']+)'/g)].flatMap(([, doc, section]) => {
        const target = [doc!, join(dirname(file), doc!)].find((p) => existsSync(join(ROOT, p)));
        if (!target) return [`${file}: ${doc} does not exist`];
        return headings(target).includes(section!) ? [] : [`${file}: ${doc} has no heading '${section}'`];
      }),
    );
    expect([...new Set(wrong)]).toEqual([]);
  });
});

/** The paths README's "Where things live" block lists, each folder's entries under it. */
function listedPaths(readme: string): string[] {
  const block = readme.match(/Where things live[^\n]*\n+```\n([\s\S]*?)\n```/)?.[1] ?? "";
  const parents: string[] = [];
  return block.split("\n").filter((line) => line.trim()).flatMap((line) => {
    const names = line.trim().split(/\s{2,}/)[0]!.split(/,\s*/);
    const depth = line.search(/\S/) / 2;
    parents.length = depth;
    const paths = names.map((name) => [...parents, name].join(""));
    if (names.length === 1 && names[0]!.endsWith("/")) parents[depth] = names[0]!;
    return paths;
  });
}

describe("README, 'Where things live'", () => {
  const listed = listedPaths(read("README.md"));

  test("every path it lists exists", () => {
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((path) => !exists(path))).toEqual([]);
  });

  test("it names every top-level folder and every folder of shared/src/ and test/", () => {
    const folders = (dir: string) =>
      readdirSync(join(ROOT, dir)).filter((n) => !n.startsWith(".") && statSync(join(ROOT, dir, n)).isDirectory()).map((n) => `${dir}${n}/`);
    const wanted = [...TOP.filter((n) => !n.startsWith(".")).map((n) => `${n}/`), ...folders("shared/src/"), ...folders("test/")];
    expect(wanted.filter((folder) => !listed.some((path) => path.startsWith(folder)))).toEqual([]);
  });
});
