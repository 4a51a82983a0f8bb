// The parity badge: a virtual-clock run is deterministic, so a demo run in
// the browser must print exactly what the native CLI printed at build time
// and trace exactly the same events (web/scripts/gen-demo-data.mjs bundles
// the native output, a SHA-256 of the native trace and its first lines).
//
// The trace is hashed as it arrives, a chunk at a time (@noble/hashes'
// incremental SHA-256: WebCrypto's digest() takes the whole input at once),
// so a run with 100,000 tasks neither keeps its 900,000 lines nor spends
// seconds joining and hashing them when it ends.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const CHUNK = 1 << 16;

/** The trace of a run, as its SHA-256, its number of lines and its first lines. */
export class TraceDigest {
  constructor(previewLines = 400) {
    this.hash = sha256.create();
    this.encoder = new TextEncoder();
    this.pending = '';
    this.lines = 0;
    this.preview = [];
    this.previewLines = previewLines;
  }

  /** One JSON Lines record (without its newline). */
  add(line) {
    this.lines++;
    if (this.preview.length < this.previewLines) this.preview.push(line);
    this.pending += `${line}\n`;
    if (this.pending.length >= CHUNK) this.flush();
  }

  flush() {
    if (this.pending) this.hash.update(this.encoder.encode(this.pending));
    this.pending = '';
  }

  /** The SHA-256 of every line added, each followed by '\n', in hex. */
  hex() {
    this.flush();
    return bytesToHex(this.hash.digest());
  }
}

function firstDifference(expectedLines, actualLines) {
  const n = Math.max(expectedLines.length, actualLines.length);
  for (let i = 0; i < n; i++) {
    if (expectedLines[i] !== actualLines[i]) {
      return { line: i + 1, expected: expectedLines[i] ?? '(end)', actual: actualLines[i] ?? '(end)' };
    }
  }
  return null;
}

/**
 * Compare a browser run with the native one.
 * @param native  the demo's `native` record from demos.json
 * @param outputLines  the lines the browser run printed
 * @param trace  the TraceDigest of the browser run's trace
 * @returns {{match: boolean, what?: 'output'|'trace', diff?: {line, expected, actual}}}
 */
export function compareWithNative(native, outputLines, trace) {
  const expectedOut = native.stdout.split('\n');
  if (expectedOut[expectedOut.length - 1] === '') expectedOut.pop();
  const outDiff = firstDifference(expectedOut, outputLines);
  if (outDiff) return { match: false, what: 'output', diff: outDiff };
  if (trace.hex() === native.traceSha256) return { match: true };
  const diff = firstDifference(native.tracePreview, trace.preview.slice(0, native.tracePreview.length)) ?? {
    line: native.tracePreview.length + 1,
    expected: native.traceLines > native.tracePreview.length ? `… (${native.traceLines} lines in all)` : '(end)',
    actual: `… (${trace.lines} lines in all)`,
  };
  return { match: false, what: 'trace', diff };
}
