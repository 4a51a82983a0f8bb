// The demo programs from JS: runtime.loadDemos() loads their module, list()
// describes them, run() drives one on the browser host without blocking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime } from 'aio-asyncio';

const rt = await createRuntime();
assert.equal(rt.demos, null);
const demos = await rt.loadDemos();
assert.equal(rt.demos, demos);
assert.equal(await rt.loadDemos(), demos);  // loaded once

test('list() describes every demo with its parameters', () => {
  const list = demos.list();
  assert.ok(list.length >= 40);
  const sayAfter = list.find((d) => d.name === 'say-after');
  assert.equal(sayAfter.group, 'basics');
  assert.deepEqual(sayAfter.params.map((p) => [p.name, p.kind, p.default]), [['first', 'number', '1.0'], ['second', 'number', '2.0']]);
  assert.equal(new Set(list.map((d) => d.name)).size, list.length);
});

test('run() on the virtual clock: the output lines, the trace, exit status 0', async () => {
  const out = [], trace = [];
  const status = await demos.run('say-after', {}, { onOutput: (l) => out.push(l), onTrace: (e) => trace.push(e) });
  assert.equal(status, 0);
  assert.deepEqual(out, ['started at 0.000', 'hello', 'world', 'finished at 2.000']);
  assert.deepEqual(trace[0], { t: 0, time: 0, kind: 'task_created', id: 1, name: 'Task-1', detail: '', line: '{"t":0,"kind":"task_created","id":1,"name":"Task-1","detail":""}' });
  assert.ok(trace.some((e) => e.kind === 'timer_fired'));
});

test('parameters are applied; a bad name or parameter gives status 2 and a message', async () => {
  const out = [];
  assert.equal(await demos.run('say-after', { second: 3 }, { onOutput: (l) => out.push(l) }), 0);
  assert.equal(out.at(-1), 'finished at 3.000');
  const errors = [];
  assert.equal(await demos.run('no-such-demo', {}, { onError: (l) => errors.push(l) }), 2);
  assert.match(errors[0], /unknown demo 'no-such-demo'/);
  const errors2 = [];
  assert.equal(await demos.run('say-after', { first: 'soon' }, { onError: (l) => errors2.push(l) }), 2);
  assert.equal(errors2.length, 1);
});

test('cancel() stops a demo running on the real clock, as Ctrl-C does: status 130', async () => {
  const out = [];
  const run = demos.run('display-date', { seconds: 30 }, { clock: 'real', onOutput: (l) => out.push(l) });
  assert.equal(run.done(), false);
  await new Promise((r) => setTimeout(r, 50));
  run.cancel();
  assert.equal(await run, 130);
  assert.equal(run.done(), true);
  assert.ok(out.length >= 1 && out.length < 5);
});
