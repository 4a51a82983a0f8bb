#!/usr/bin/env node
// Bundles what the playground shows of each demo and what it compares a
// browser run against, produced by the native `aio` CLI at build time:
//   - `aio list --json`: names, groups, titles, summaries, parameters;
//   - the C++ source of each demo, cut from runtime/demos/src/*.cpp at its
//     `// ---- name (NNN) ----` header;
//   - the native output and JSON Lines trace of a virtual-clock run, for the
//     parity badge (a virtual-clock run is deterministic, so a browser run of
//     the same demo must print and trace exactly the same).
// Writes web/generated/demos.json.
//
// Usage: node web/scripts/gen-demo-data.mjs [path/to/aio]   (default: build/native-release/runtime/cli/aio)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = resolve(process.argv[2] ?? join(root, 'build/native-release/runtime/cli/aio'));

function sourcesByDemo() {
  const dir = join(root, 'runtime/demos/src');
  const sections = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpp')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    // "// ---- name (NNN) ----", or several demos sharing one section:
    // "// ---- a / b / c (040, 041, 042) ----".
    const header = /^\/\/ ---- ([a-z0-9-]+(?: \/ [a-z0-9-]+)*)(?: \([^)]*\))? -+$/gm;
    const marks = [...text.matchAll(header)];
    marks.forEach((m, i) => {
      const end = i + 1 < marks.length ? marks[i + 1].index : text.search(/^\}\s*\/\/ namespace\s*$/m);
      let body = text.slice(m.index + m[0].length, end > m.index ? end : undefined);
      // The registry at the end of a file is not part of any demo.
      const registry = body.search(/^(const std::vector<Demo>|std::vector<Demo>|\}  \/\/ namespace)/m);
      if (registry >= 0) body = body.slice(0, registry);
      const section = { file: `runtime/demos/src/${file}`, code: body.replace(/^\n+/, '').replace(/\s+$/, '\n') };
      for (const name of m[1].split(' / ')) sections.set(name, section);
    });
  }
  return sections;
}

const PREVIEW_LINES = 400;
const demos = JSON.parse(execFileSync(cli, ['list', '--json'], { encoding: 'utf8' }));
const sources = sourcesByDemo();
const tmp = mkdtempSync(join(tmpdir(), 'aio-demo-data-'));
try {
  for (const demo of demos) {
    const src = sources.get(demo.name);
    demo.source = src ? src.code : null;
    demo.sourceFile = src ? src.file : null;
    const traceFile = join(tmp, `${demo.name}.jsonl`);
    const run = spawnSync(cli, ['run', demo.name, '--clock', 'virtual', '--trace', traceFile, '--trace-format', 'jsonl'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    let trace = '';
    try {
      trace = readFileSync(traceFile, 'utf8');
    } catch {
      /* a demo that failed before tracing */
    }
    // Traces can be huge (many-tasks: 70 MB): bundle a digest of the whole
    // trace and only its beginning, enough to show where a difference starts.
    const lines = trace.split('\n').filter(Boolean);
    demo.native = {
      exitCode: run.status,
      stdout: run.stdout,
      stderr: run.stderr,
      traceSha256: createHash('sha256').update(trace).digest('hex'),
      traceLines: lines.length,
      tracePreview: lines.slice(0, PREVIEW_LINES),
    };
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const out = join(root, 'web/generated/demos.json');
mkdirSync(dirname(out), { recursive: true });
// The source of every demo section, also of demos the native build lacks
// (the browser I/O demos): the page lists the demos of its wasm module.
const allSources = Object.fromEntries(sources);
writeFileSync(out, JSON.stringify({ generatedBy: 'web/scripts/gen-demo-data.mjs', demos, sources: allSources }, null, 1));
const missing = demos.filter((d) => !d.source).map((d) => d.name);
console.log(`gen-demo-data: ${demos.length} demos → ${out}` + (missing.length ? ` (no source section: ${missing.join(', ')})` : ''));
