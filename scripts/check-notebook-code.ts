/**
 * The notebooks' code, held to the library's standard (`make test` runs this first).
 *
 * Each notebook's code cells, in order, form one TypeScript module, as tslab runs them: the cells
 * share one top-level scope (a name declared in cell 3 is visible in cell 7; declared twice, it is
 * an error, as in a .ts file) and top-level `await` is allowed. The module is type-checked with the
 * project's TypeScript, strict, against the library's declarations: `import * as bvae from "bvae"`
 * resolves to the build, dist/lib/index.d.ts (so `make build` comes first), other packages as Node
 * resolves them from the notebooks' folder. Two limits keep cells short enough to read: a code line
 * of at most 100 characters, a code cell of at most 25 lines. Markdown cells (the report's prose)
 * are not checked. One thing tslab does differently from a .ts file is caught too: it rewrites a
 * name declared in an earlier cell everywhere except in a shorthand property, so `{ kl }` with `kl`
 * from another cell type-checks but fails at run time (ReferenceError); write `{ kl: kl }`.
 *
 * Every problem is one line, `notebooks/01-dsprites-vae.ipynb cell 5 line 3: message`: K is the
 * cell's index in the notebook counting every cell from 0 (as scripts/run_notebooks.py and
 * `bvae report` count), L the line inside the cell from 1.
 *
 * Usage: node dist/scripts/check-notebook-code.js [NOTEBOOK...]  (default: notebooks/[0-9]*.ipynb);
 * exit status 1 when there is any problem.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { defaultNotebooks, readNotebook } from "../cli/notebooks";
import { projectRelative, projectRoot } from "../lib/files";

/** Longest code line, in characters. */
export const MAX_LINE_LENGTH = 100;
/** Longest code cell, in lines. */
export const MAX_CELL_LINES = 25;

export interface NotebookProblem {
  /** The notebook as given. */
  readonly file: string;
  /** The cell's index in the notebook (every cell, from 0); undefined for a problem of the whole notebook. */
  readonly cell?: number;
  /** The line inside the cell, from 1. */
  readonly line?: number;
  readonly message: string;
}

export function formatProblem(p: NotebookProblem): string {
  const where = p.cell === undefined ? "" : ` cell ${p.cell}${p.line === undefined ? "" : ` line ${p.line}`}`;
  return `${p.file}${where}: ${p.message}`;
}

/** A notebook's code as one module, and where each code cell starts in it. */
interface NotebookModule {
  readonly file: string;
  readonly text: string;
  /** For each code cell: its index in the notebook and the module line (from 0) of its first line. */
  readonly cells: readonly { readonly index: number; readonly firstLine: number; readonly lines: readonly string[] }[];
}

function sourceText(source: string | string[]): string {
  return Array.isArray(source) ? source.join("") : source;
}

function notebookModule(file: string): NotebookModule {
  const notebook = readNotebook(file);
  const cells: { index: number; firstLine: number; lines: string[] }[] = [];
  const parts: string[] = [];
  let line = 0;
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const text = sourceText(cell.source).replace(/\r\n/g, "\n").replace(/\n+$/, "");
    const lines = text.length ? text.split("\n") : [];
    cells.push({ index, firstLine: line, lines });
    parts.push(...lines);
    line += lines.length;
  });
  // `export {}` makes the text a module (top-level await, a scope of its own) even without imports.
  return { file, text: [...parts, "export {};", ""].join("\n"), cells };
}

/** The lengths: lines over MAX_LINE_LENGTH, cells over MAX_CELL_LINES. */
function lengthProblems(mod: NotebookModule): NotebookProblem[] {
  const problems: NotebookProblem[] = [];
  for (const cell of mod.cells) {
    cell.lines.forEach((text, i) => {
      const length = [...text].length;
      if (length > MAX_LINE_LENGTH) {
        problems.push({ file: mod.file, cell: cell.index, line: i + 1, message: `a line of ${length} characters (at most ${MAX_LINE_LENGTH})` });
      }
    });
    if (cell.lines.length > MAX_CELL_LINES) {
      problems.push({
        file: mod.file, cell: cell.index, line: MAX_CELL_LINES + 1,
        message: `a cell of ${cell.lines.length} lines (at most ${MAX_CELL_LINES}): split it`,
      });
    }
  }
  return problems;
}

/** Compiler options: the project's strictness (tsconfig.json), modules that allow top-level await. */
function compilerOptions(root: string): ts.CompilerOptions {
  return {
    strict: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    typeRoots: [path.join(root, "node_modules", "@types")],
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    skipLibCheck: true,
    noEmit: true,
    // The library as notebooks import it: its build's declarations.
    paths: { bvae: [path.join(root, "dist", "lib", "index.d.ts")] },
  };
}

/** The cell (of `mod`) holding module line `line` (from 0), if any. */
function cellAt(mod: NotebookModule, line: number): NotebookModule["cells"][number] | undefined {
  const cell = [...mod.cells].reverse().find((c) => c.firstLine <= line);
  return cell && line < cell.firstLine + cell.lines.length ? cell : undefined;
}

/** Whether `decl` declares a name in the module's top-level scope (what tslab shares between cells). */
function isTopLevel(decl: ts.Declaration, source: ts.SourceFile): boolean {
  let node: ts.Node = decl;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  if (ts.isVariableDeclaration(node)) return ts.isVariableStatement(node.parent.parent) && node.parent.parent.parent === source;
  if (ts.isImportSpecifier(node) || ts.isNamespaceImport(node) || ts.isImportClause(node) || ts.isImportEqualsDeclaration(node)) return true;
  return node.parent === source;
}

/** Shorthand properties `{ x }` whose `x` is a top-level name of another cell: they fail under tslab. */
function shorthandProblems(mod: NotebookModule, source: ts.SourceFile, checker: ts.TypeChecker): NotebookProblem[] {
  const problems: NotebookProblem[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source));
  const visit = (node: ts.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) {
      const decl = checker.getShorthandAssignmentValueSymbol(node)?.declarations?.[0];
      const use = lineOf(node);
      const useCell = cellAt(mod, use.line);
      if (decl && decl.getSourceFile() === source && isTopLevel(decl, source) && useCell && cellAt(mod, lineOf(decl).line) !== useCell) {
        const name = node.name.text;
        problems.push({
          file: mod.file, cell: useCell.index, line: use.line - useCell.firstLine + 1,
          message: `tslab (column ${use.character + 1}): { ${name} } names ${name} of another cell, which fails at run time; write { ${name}: ${name} }`,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

/**
 * The type errors of each notebook's module. The modules sit (virtually) in the project's
 * notebooks/ folder, whatever folder a notebook is read from, so that packages resolve as for the
 * project's own notebooks.
 */
function typeProblems(mods: readonly NotebookModule[], root: string): NotebookProblem[] {
  const declarations = path.join(root, "dist", "lib", "index.d.ts");
  if (!fs.existsSync(declarations)) {
    throw new Error(`${declarations} does not exist: build the library first (make build)`);
  }
  const options = compilerOptions(root);
  const virtual = new Map<string, NotebookModule>();
  mods.forEach((mod, i) => virtual.set(path.join(root, "notebooks", `.check-${i}-${path.basename(mod.file)}.ts`), mod));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, create) => {
    const mod = virtual.get(path.resolve(name));
    return mod ? ts.createSourceFile(name, mod.text, language, true, ts.ScriptKind.TS) : getSourceFile(name, language, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(path.resolve(name)) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => virtual.get(path.resolve(name))?.text ?? readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host);

  const problems: NotebookProblem[] = [];
  const global = program.getOptionsDiagnostics().concat(program.getGlobalDiagnostics());
  for (const d of global) problems.push({ file: "(compiler)", message: ts.flattenDiagnosticMessageText(d.messageText, " ") });
  for (const [name, mod] of virtual) {
    const source = program.getSourceFile(name)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const d of diagnostics) {
      const message = projectRelative(ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/\s+/g, " "), root);
      if (d.start === undefined) {
        problems.push({ file: mod.file, message });
        continue;
      }
      const { line, character } = source.getLineAndCharacterOfPosition(d.start);
      const cell = cellAt(mod, line);
      if (!cell) problems.push({ file: mod.file, message: `(after the last cell) ${message}` });
      else problems.push({ file: mod.file, cell: cell.index, line: line - cell.firstLine + 1, message: `TS${d.code} (column ${character + 1}): ${message}` });
    }
    problems.push(...shorthandProblems(mod, source, program.getTypeChecker()));
  }
  return problems;
}

/** Every problem of these notebooks, in notebook, cell and line order. */
export function checkNotebookCode(files: readonly string[], root: string = projectRoot()): NotebookProblem[] {
  const mods = files.map(notebookModule);
  const all = [...typeProblems(mods, root), ...mods.flatMap(lengthProblems)];
  const order = new Map(files.map((f, i) => [f, i]));
  return all.sort((a, b) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1) || (a.cell ?? -1) - (b.cell ?? -1) || (a.line ?? 0) - (b.line ?? 0));
}

function main(argv: readonly string[]): number {
  const root = projectRoot();
  const files = argv.length ? [...argv] : defaultNotebooks().map((f) => path.relative(process.cwd(), f));
  const problems = checkNotebookCode(files, root);
  for (const p of problems) console.log(formatProblem(p));
  const count = (prefix: string) => problems.filter((p) => p.message.startsWith(prefix)).length;
  console.log(
    `[check-notebook-code] ${files.length} notebooks: ${problems.length} problems (${count("TS")} type errors, ` +
      `${count("tslab")} cross-cell shorthands, ${count("a line of")} lines over ${MAX_LINE_LENGTH} characters, ` +
      `${count("a cell of")} cells over ${MAX_CELL_LINES} lines)`,
  );
  return problems.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
