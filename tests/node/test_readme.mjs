// The examples of wasm-bindings/README.md run, and print what they say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(path.join(here, '../../wasm-bindings/README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

const expected = [
  ['worker cleaned up', 'worker: cancelled', 'ab'],
  ['true 1 false', '2'],
  ['0 1 4 9 16 25 36 peak 3 at t = 3', 'true', 'true boom'],
  ['42', 'done'],
  ['200 /data', 'timed out', 'server: request aborted'],
  ['started at 0.000', 'hello', 'world', 'finished at 3.000', 'exit status 0'],
];

test('the README has the examples this test knows', () => {
  assert.equal(blocks.length, expected.length);
});

blocks.forEach((code, i) => {
  test(`README example ${i + 1}`, () => {
    // Beside this file, so that 'aio-asyncio' resolves as for a user.
    const file = path.join(here, `.readme_example_${i + 1}.mjs`);
    writeFileSync(file, code);
    try {
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 30000 });
      const lines = out.trim().split('\n');
      // The server's log line races with the task's (two event sources).
      if (i === 4) assert.deepEqual([...lines].sort(), [...expected[i]].sort());
      else assert.deepEqual(lines, expected[i]);
    } finally {
      unlinkSync(file);
    }
  });
});
