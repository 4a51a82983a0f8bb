// The parity badge: a virtual-clock run is deterministic, so a demo run in
// the browser must print exactly what the native CLI printed at build time
// and trace exactly the same events (web/scripts/gen-demo-data.mjs bundles
// the native output, a SHA-256 of the native trace and its first lines).
//
// The trace is hashed as it arrives, a chunk at a time (@noble/hashes'
// incremental SHA-256: WebCrypto's digest() takes the whole input at once),
// so a run with 100,000 tasks neither keeps its 900,000 lines nor spends
// seconds joining and hashing them when it ends.
//
// The hashing runs in a worker (digest-worker.js); the page only copies the
// trace's UTF-8 (the demos module's bytes, or each line encoded here) into a
// buffer, which it hands over (transferred, not copied) when full. Measured on a 100,000-task run (about 70 MB of lines): hashing
// on the page's thread took longer than the run itself, and so did posting
// the text as strings (each string passed to the browser is copied, and the
// copies are freed in long garbage-collection tasks); the bytes cost little.
// Where workers are missing the hashing runs here.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const CHUNK = 1 << 18;

// One worker for every run, started before the first (see prewarmDigest).
let shared;
let nextRun = 0;

function digestWorker() {
  if (shared !== undefined) return shared;
  shared = null;
  if (typeof Worker !== 'function') return shared;
  try {
    const worker = new Worker(new URL('./digest-worker.js', import.meta.url), { type: 'module' });
    const waiting = new Map();  // run -> {resolve, reject}
    worker.onmessage = ({ data }) => {
      waiting.get(data.run)?.resolve(data.hex);
      waiting.delete(data.run);
    };
    worker.onerror = (e) => {
      shared.error = new Error(`trace digest worker: ${e.message}`);
      for (const w of waiting.values()) w.reject(shared.error);
      waiting.clear();
    };
    shared = { worker, waiting };
  } catch {
    // No module workers: hash on this thread.
  }
  return shared;
}

/** Start the digest's worker now, while the page is idle, not when a run starts. */
export function prewarmDigest() {
  digestWorker();
}

/** The trace of a run, as its SHA-256, its number of lines and its first lines. */
export class TraceDigest {
  constructor(previewLines = 400) {
    this.shared = digestWorker();
    this.run = ++nextRun;
    if (!this.shared) this.hash = sha256.create();
    this.buf = new Uint8Array(CHUNK);
    this.pos = 0;
    this.lines = 0;
    this.preview = [];
    this.previewLines = previewLines;
    this.result = null;
  }

  /** One JSON Lines record (without its newline), counted but not hashed: see addBytes(). */
  note(line) {
    this.lines++;
    if (this.preview.length < this.previewLines) this.preview.push(line);
  }

  /**
   * Records as UTF-8, joined by '\n' with none after the last (the demos'
   * onTraceBytes batches): hashed as they are, no encoding needed. Give
   * each record to note() too.
   */
  addBytes(bytes) {
    const n = bytes.length + 1;
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = new Uint8Array(n);
    }
    this.buf.set(bytes, this.pos);
    this.buf[this.pos + n - 1] = 10;  // '\n'
    this.pos += n;
  }

  /** One JSON Lines record (without its newline), counted and hashed. */
  add(line) {
    this.note(line);
    const n = line.length;
    if (this.pos + 3 * n + 1 > this.buf.length) {
      this.flush();
      if (3 * n + 1 > this.buf.length) this.buf = new Uint8Array(3 * n + 1);
    }
    // UTF-8, as TextEncoder writes it (a lone surrogate becomes U+FFFD),
    // without handing the string to the browser.
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      let c = line.charCodeAt(i);
      if (c < 0x80) {
        buf[pos++] = c;
      } else if (c < 0x800) {
        buf[pos++] = 0xc0 | (c >> 6);
        buf[pos++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (line.charCodeAt(++i) - 0xdc00);
        buf[pos++] = 0xf0 | (c >> 18);
        buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
        buf[pos++] = 0xe0 | (c >> 12);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
      }
    }
    buf[pos++] = 10;  // '\n'
    this.pos = pos;
  }

  flush() {
    if (!this.pos) return;
    if (this.shared) {
      this.shared.worker.postMessage({ run: this.run, bytes: this.buf.buffer, length: this.pos }, [this.buf.buffer]);
      this.buf = new Uint8Array(CHUNK);
    } else if (this.hash) {
      this.hash.update(this.buf.subarray(0, this.pos));
    }
    this.pos = 0;
  }

  /** Resolves to the SHA-256 of every line added, each followed by '\n', in hex. */
  hex() {
    if (this.result) return this.result;
    this.flush();
    if (!this.shared) {
      this.result = Promise.resolve(bytesToHex(this.hash.digest()));
      return this.result;
    }
    const { worker, waiting } = this.shared;
    this.result = new Promise((resolve, reject) => {
      if (this.shared.error) return reject(this.shared.error);
      waiting.set(this.run, { resolve, reject });
      worker.postMessage({ run: this.run, op: 'hex' });
    });
    return this.result;
  }

  /** Stop hashing (a run whose digest is not wanted). */
  discard() {
    this.shared?.worker.postMessage({ run: this.run, op: 'discard' });
    this.shared = null;
    this.hash = null;
    this.pos = 0;
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
 * @returns {Promise<{match: boolean, what?: 'output'|'trace', diff?: {line, expected, actual}}>}
 */
export async function compareWithNative(native, outputLines, trace) {
  const expectedOut = native.stdout.split('\n');
  if (expectedOut[expectedOut.length - 1] === '') expectedOut.pop();
  const outDiff = firstDifference(expectedOut, outputLines);
  if (outDiff) return { match: false, what: 'output', diff: outDiff };
  if ((await trace.hex()) === native.traceSha256) return { match: true };
  const diff = firstDifference(native.tracePreview, trace.preview.slice(0, native.tracePreview.length)) ?? {
    line: native.tracePreview.length + 1,
    expected: native.traceLines > native.tracePreview.length ? `… (${native.traceLines} lines in all)` : '(end)',
    actual: `… (${trace.lines} lines in all)`,
  };
  return { match: false, what: 'trace', diff };
}
