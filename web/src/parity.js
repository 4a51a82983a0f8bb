// The parity badge: a virtual-clock run is deterministic, so a demo run in
// the browser must print exactly what the native CLI printed at build time
// and trace exactly the same events (web/scripts/gen-demo-data.mjs bundles
// the native output, a SHA-256 of the native trace and its first lines).

async function sha256Hex(text) {
  const bytes = new TextEncoder().encode(text);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
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
 * @param traceLines   the JSON Lines the browser run traced
 * @returns {{match: boolean, what?: 'output'|'trace', diff?: {line, expected, actual}}}
 */
export async function compareWithNative(native, outputLines, traceLines) {
  const expectedOut = native.stdout.split('\n');
  if (expectedOut[expectedOut.length - 1] === '') expectedOut.pop();
  const outDiff = firstDifference(expectedOut, outputLines);
  if (outDiff) return { match: false, what: 'output', diff: outDiff };
  const trace = traceLines.length ? `${traceLines.join('\n')}\n` : '';
  if ((await sha256Hex(trace)) === native.traceSha256) return { match: true };
  const diff = firstDifference(native.tracePreview, traceLines.slice(0, native.tracePreview.length)) ?? {
    line: native.tracePreview.length + 1,
    expected: native.traceLines > native.tracePreview.length ? `… (${native.traceLines} lines in all)` : '(end)',
    actual: `… (${traceLines.length} lines in all)`,
  };
  return { match: false, what: 'trace', diff };
}
