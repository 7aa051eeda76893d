import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** A ```ts block of a Markdown page, with where it starts (for error messages). */
export interface DocBlock {
  file: string;
  line: number;
  code: string;
}

export function tsBlocks(file: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end += 1;
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/**
 * What a snippet may use without declaring it: the app and request objects of its framework, and
 * the values a guide talks about ("your" user, password check, Redis client). Each is declared only
 * when the snippet does not declare or import the name itself.
 */
function preludeFor(code: string): Record<string, string> {
  const framework = /sessionward\/fastify|from 'fastify'/.test(code) ? 'fastify' : /sessionward\/koa|from 'koa'/.test(code) ? 'koa' : 'express';
  const app = {
    express: "import('express').Express",
    fastify: "import('fastify').FastifyInstance",
    koa: "import('koa')",
  }[framework];
  return {
    app: `declare const app: ${app};`,
    router: "declare const router: import('@koa/router').default;",
    sessions: "declare const sessions: import('sessionward').SessionManager;",
    manager: "declare const manager: import('sessionward').SessionManager;",
    redis: "declare const redis: import('ioredis').Redis;",
    req: "declare const req: import('express').Request;",
    res: "declare const res: import('express').Response;",
    user: 'declare const user: { id: string };',
    adminId: 'declare const adminId: string;',
    sessionId: 'declare const sessionId: string;',
    currentSessionId: 'declare const currentSessionId: string;',
    session: "declare const session: import('sessionward').Session;",
    token: 'declare const token: string;',
    secret: 'declare const secret: string;',
    cursor: 'declare const cursor: string | null;',
    checkPassword: 'declare function checkPassword(body: unknown): Promise<{ id: string }>;',
    transfer: "declare const transfer: import('express').RequestHandler;",
    useSession: "declare function useSession(session: import('sessionward').Session): void;",
    respond401: 'declare function respond401(reason: string): void;',
    MyStore: "declare const MyStore: new (options: { clock: () => number }) => import('sessionward').SessionStore;",
  };
}

/** Names a snippet declares at its top level (imports, const/let, functions, classes). */
function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/**
 * Type-checks every block as its own module (with the prelude it needs); answers one message per
 * error. A "before" block written for express-session is checked in a program of its own: both
 * libraries declare `req.session`, and a real app loads only one of them.
 */
export function checkBlocks(blocks: readonly DocBlock[], root: string): string[] {
  const other = (block: DocBlock) => /from 'express-session'/.test(block.code);
  return [
    ...checkProgram(
      blocks.filter((b) => !other(b)),
      root,
      'a',
    ),
    ...checkProgram(blocks.filter(other), root, 'b'),
  ];
}

function checkProgram(blocks: readonly DocBlock[], root: string, program: string): string[] {
  if (blocks.length === 0) return [];
  const files = new Map<string, { block: DocBlock; preludeLines: number }>();
  const texts = new Map<string, string>();
  blocks.forEach((block, index) => {
    const declared = declaredNames(block.code);
    const prelude = Object.entries(preludeFor(block.code))
      .filter(([name]) => !declared.has(name) && new RegExp(`\\b${name}\\b`).test(block.code))
      .map(([, line]) => line);
    const name = join(root, 'scripts', `.doc-block-${program}${index}.ts`);
    // `export {}` makes every block a module, so top-level await and per-block names work.
    texts.set(name, [...prelude, 'export {};', block.code].join('\n'));
    files.set(name, { block, preludeLines: prelude.length + 1 });
  });
  const configPath = join(root, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, dirname(configPath));
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (path) => texts.get(path) ?? readFile(path);
  host.fileExists = (path) => texts.has(path) || fileExists(path);
  const checked = ts.createProgram([...texts.keys()], { ...config.options, noEmit: true, noUnusedLocals: false }, host);
  const messages: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(checked)) {
    const where = diagnostic.file && files.get(diagnostic.file.fileName);
    if (!where || diagnostic.start === undefined) continue;
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    const at = `${where.block.file.replace(`${root}/`, '')}:${where.block.line + line - where.preludeLines}`;
    messages.push(`${at}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  }
  return messages;
}
