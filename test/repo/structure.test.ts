import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "@babel/parser";

/**
 * Size limits that keep every file readable in one sitting (README, "Where things live").
 * A file may hold a route table longer than a function should be: mark that function with
 * a `// route table` comment on the line above it.
 */
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;
const ROOT = join(import.meta.dir, "../..");
const SOURCE_DIRS = ["shared", "workers", "scripts", "deploy", "test"];
const FUNCTION_DIRS = ["shared/", "workers/"];
const SKIP = new Set(["node_modules", "data", ".git", "coverage", "artifacts"]);

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(path);
  }
  return files;
}

const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d))).map((f) => relative(ROOT, f));

interface Span {
  name: string;
  line: number;
  lines: number;
}

const FUNCTION_TYPES = new Set([
  "FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "ObjectMethod", "ClassMethod", "ClassPrivateMethod",
]);

/** Every function in a file, with its length in lines (nested functions count in their parent too). */
function functionSpans(path: string): Span[] {
  const text = readFileSync(join(ROOT, path), "utf8");
  const lines = text.split("\n");
  const ast = parse(text, { sourceType: "module", plugins: ["typescript", "jsx", "decorators-legacy"] });
  const spans: Span[] = [];
  const visit = (node: unknown, name: string): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, name));
    const n = node as Record<string, any>;
    let here = name;
    if (n.type === "VariableDeclarator" && n.id?.name) here = n.id.name;
    if ((n.type === "ObjectProperty" || n.type === "ClassProperty") && n.key?.name) here = n.key.name;
    if (FUNCTION_TYPES.has(n.type) && n.loc) {
      const own = n.id?.name ?? n.key?.name ?? here;
      const start = n.loc.start.line;
      const marked = /\/\/ route table/.test(lines[start - 2] ?? "") || /\/\/ route table/.test(lines[start - 1] ?? "");
      if (!marked) spans.push({ name: own, line: start, lines: n.loc.end.line - start + 1 });
      here = own;
    }
    for (const [key, value] of Object.entries(n)) {
      if (key !== "loc" && key !== "leadingComments" && key !== "trailingComments") visit(value, here);
    }
  };
  visit(ast.program, "(top)");
  return spans;
}

describe("the source stays readable", () => {
  test(`no source file outside tests is over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f, n: readFileSync(join(ROOT, f), "utf8").trimEnd().split("\n").length }))
      .filter(({ n }) => n > MAX_FILE_LINES)
      .map(({ f, n }) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });

  test(`no function in shared/ or workers/ is over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files
      .filter((f) => FUNCTION_DIRS.some((d) => f.startsWith(d)))
      .flatMap((f) => functionSpans(f).filter((s) => s.lines > MAX_FUNCTION_LINES).map((s) => `${f}:${s.line} ${s.name} (${s.lines} lines)`));
    expect(long).toEqual([]);
  });
});
