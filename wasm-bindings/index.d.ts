// Types of aio-asyncio (hand-written: Emscripten 3.1.6 cannot emit them).
// The classes of a runtime (EventLoop, Future, Task, Lock, ...) belong to the
// runtime createRuntime() returns: their types are interfaces here, and the
// runtime holds their constructors. The error classes are module exports.

// ---- errors -------------------------------------------------------------------

/** The task or future was cancelled (asyncio.CancelledError). */
export class CancelledError extends Error {}
// The errors keep asyncio's exact text in `message`; where aio knows what to
// do instead, InvalidStateError, RuntimeError and ValueError have a `hint`
// ("the future is still pending: await it, or check done() first").
/** An operation the future's state does not allow (asyncio.InvalidStateError). */
export class InvalidStateError extends Error {
  /** What to do instead, when the runtime knows. */
  readonly hint?: string;
}
/** A deadline passed (TimeoutError). */
export class TimeoutError extends Error {}
/** Python's RuntimeError: loop already running or closed, no running loop, ... */
export class RuntimeError extends Error {
  /** What to do instead, when the runtime knows. */
  readonly hint?: string;
}
/** Python's ValueError. */
export class ValueError extends Error {
  /** What to do instead, when the runtime knows. */
  readonly hint?: string;
}
/** getNowait() on an empty queue. */
export class QueueEmpty extends Error {}
/** putNowait() on a full queue. */
export class QueueFull extends Error {}
/** put()/get() on a queue that was shut down. */
export class QueueShutDown extends Error {}
/** A Barrier was aborted or reset while waiting. */
export class BrokenBarrierError extends RuntimeError {}
/** Several errors raised together (Python's BaseExceptionGroup). */
export class BaseExceptionGroup extends Error {
  constructor(message: string, exceptions: unknown[]);
  /** The errors, in the order they happened (JS errors are the very objects thrown). */
  readonly exceptions: unknown[];
  /** The message without the "(N sub-exceptions)" suffix. */
  readonly groupMessage: string;
}
/** A group of ordinary errors (Python's ExceptionGroup), e.g. from a TaskGroup. */
export class ExceptionGroup extends BaseExceptionGroup {}

/** A request got no HTTP response (network failure, CORS, bad URL) or its body failed. */
export class FetchError extends Error {
  /** The JS error's class name ("TypeError" for network failures). */
  readonly errorName: string;
}
/** A WebSocket could not be opened, or was misused. */
export class WebSocketError extends Error {}
/** The WebSocket connection is closed. */
export class ConnectionClosed extends WebSocketError {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}
/** Closed normally (1000, 1001, or a clean close without a code). */
export class ConnectionClosedOK extends ConnectionClosed {}
/** Closed with an error code, or dropped (1006). */
export class ConnectionClosedError extends ConnectionClosed {}

// ---- coroutines ---------------------------------------------------------------

/**
 * A JS coroutine: a generator whose `yield x` awaits x. TypeScript cannot
 * type what each `yield` gives back; annotate it (`const n: number = yield t`).
 */
export type Coroutine<T = unknown> = Generator<unknown, T, any>;
/** A generator function with no parameters. */
export type CoroutineFunction<T = unknown> = () => Coroutine<T>;

/**
 * An operation to yield from a coroutine (sleep(), lock.acquire(),
 * queue.get(), waitFor(), timeout(), ...). Holds no wasm memory.
 * Only a task runs one: `await op` in an async function rejects with a
 * TypeError; `await loop.createTask(op)` runs it there.
 */
export interface Operation<T = unknown> {
  /** Type marker only. */
  readonly __result?: T;
}

/** What a coroutine may yield, and what gather()/waitFor()/shield() accept. */
export type Awaitable<T = unknown> = Future<T> | PromiseLike<T> | Coroutine<T> | Operation<T>;
/** What a task can run: a coroutine, a generator function, or an awaitable. */
export type TaskSource<T = unknown> = Awaitable<T> | CoroutineFunction<T> | (() => PromiseLike<T>);

/**
 * The clock of a loop: real time, or virtual time that jumps to the next
 * timer when idle. The jump waits for the package's own I/O in flight
 * (fetch, WebSocket); a plain Promise a task awaits holds it for one turn of
 * the JS event loop only (it may be an async function awaiting the loop).
 */
export type Clock = 'real' | 'virtual';

// ---- loop, futures, tasks -----------------------------------------------------------

/**
 * What asCompleted() gives. As an array: one generator per awaitable, each
 * to be yielded for the next result in completion order (TimeoutError once
 * the timeout passed). `next()`: the next future itself, done (a Future given
 * is handed back; a coroutine's is its Task), or null when all were given;
 * async functions iterate with `for await`. Both forms count down together.
 *   const completed = rt.asCompleted(tasks, { timeout: 5 });
 *   for (let t; (t = yield completed.next()) !== null;) console.log(t.result());
 */
export interface AsCompleted<T> extends Array<Coroutine<T>>, AsyncIterable<Future<T>> {
  next(): Coroutine<Future<T> | null>;
}

/** A result that will be available later (asyncio.Future). Awaitable from async code. */
export interface Future<T = unknown> extends PromiseLike<T> {
  done(): boolean;
  cancelled(): boolean;
  /** Cancel; returns false if already done. */
  cancel(msg?: string): boolean;
  /** The result; throws CancelledError, InvalidStateError or the error it was given. */
  result(): T;
  /** The error, or null if it finished with a result. */
  exception(): unknown;
  setResult(value: T): void;
  setException(error: unknown): void;
  /** Call `fn(future)` through the loop once done. */
  addDoneCallback(fn: (future: this) => void): void;
  /** Remove every registration of `fn`; returns how many. */
  removeDoneCallback(fn: (future: this) => void): number;
  getLoop(): EventLoop;
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2>;
  catch<R = never>(onRejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R>;
  finally(onFinally?: (() => void) | null): Promise<T>;
  /** Give the wasm memory back now; the object is unusable afterwards. */
  dispose(): void;
}

/** createTask's options. */
export interface TaskOptions {
  name?: string;
  /**
   * Run the task's first step now, inside createTask, if the loop is
   * running (asyncio's eager_start=): a task that finishes without
   * suspending is done when createTask returns. Default: as the loop's task
   * factory decides (lazily without one).
   */
  eagerStart?: boolean;
}

/** What setTaskFactory takes: makes a loop's tasks (asyncio's task factory). */
export type TaskFactory = <T>(loop: EventLoop, coro: TaskSource<T>, options: TaskOptions) => Task<T>;

/** asyncio.eager_task_factory: `loop.setTaskFactory(eagerTaskFactory)`. */
export declare const eagerTaskFactory: TaskFactory;

/** A frame of Task.getStack(). */
export interface StackFrame {
  function: string;
  line: number;
}

/** A coroutine scheduled on a loop (asyncio.Task). Cancellable, awaitable. */
export interface Task<T = unknown> extends Future<T> {
  getName(): string;
  setName(name: string): void;
  /** Number of pending cancellation requests. */
  cancelling(): number;
  /** Withdraw one cancellation request; returns how many remain. */
  uncancel(): number;
  /**
   * Where the task is suspended, outermost first: a JS task's generator
   * function (line 0), then the C++ coroutines it awaits; [] once done.
   * With `limit`, the newest `limit` frames (asyncio's get_stack(limit=)).
   */
  getStack(options?: { limit?: number | null }): StackFrame[];
  /**
   * asyncio's print_stack(): "Stack for <Task ...> (most recent call
   * last):" and getStack()'s frames, or a failed task's error, or "No stack
   * for <Task ...>", given to `print` as one string (default console.error).
   */
  printStack(options?: { limit?: number | null; print?: (text: string) => void }): void;
}

/** A scheduled callback (asyncio.Handle / TimerHandle). */
export interface Handle {
  cancel(): void;
  cancelled(): boolean;
  /** The loop time of a timer's callback (undefined for callSoon). */
  when(): number | undefined;
  dispose(): void;
}

/** What the loop reports to its exception handler (asyncio's context dict). */
export interface ExceptionContext {
  message: string;
  exception: unknown;
  task?: string;
  future?: string;
  handle?: string;
}

/** The event loop, driven from the JS event loop (never blocks it). */
export interface EventLoop {
  /** Seconds on the loop's clock; works on a closed loop too, as in asyncio. */
  time(): number;
  callSoon<A extends unknown[]>(fn: (...args: A) => void, ...args: A): Handle;
  callLater<A extends unknown[]>(delay: number, fn: (...args: A) => void, ...args: A): Handle;
  callAt<A extends unknown[]>(when: number, fn: (...args: A) => void, ...args: A): Handle;
  createFuture<T = unknown>(): Future<T>;
  /** Through the task factory, if one is set (setTaskFactory). */
  createTask<T>(coro: TaskSource<T>, options?: TaskOptions): Task<T>;
  /**
   * `factory(loop, coro, options)` makes the loop's tasks (createTask,
   * ensureFuture, run), e.g. with `new rt.Task(coro, {...options, loop})`;
   * null restores the default. eagerTaskFactory starts every task eagerly.
   */
  setTaskFactory(factory: TaskFactory | null): void;
  getTaskFactory(): TaskFactory | null;
  /**
   * Debug mode (asyncio's): the steps of this loop's JS tasks, and the
   * callbacks scheduled while it is on, that run slowCallbackDuration
   * seconds or longer are reported with console.warn ("Executing <Task
   * pending name='t' coro=<gen()>> took 0.150 seconds").
   */
  setDebug(enabled: boolean): void;
  getDebug(): boolean;
  /** Seconds (default 0.1); ValueError below 0. */
  slowCallbackDuration: number;
  /** Run the loop until `aw` is done; resolves with its result. */
  runUntilComplete<T>(aw: TaskSource<T>): Promise<T>;
  /** Run the loop until stop(). */
  runForever(): Promise<void>;
  /** runUntilComplete(createTask(main)). */
  run<T>(main: TaskSource<T>): Promise<T>;
  stop(): void;
  /**
   * Close the loop and free its wasm memory (kept while a task of it is
   * still pending). Closed, it raises RuntimeError 'Event loop is closed'
   * where it would need to schedule anything; time() and isClosed() work.
   */
  close(): void;
  isRunning(): boolean;
  isClosed(): boolean;
  /** Each trace event of the loop to `fn` as it happens ({time (s), kind, id, name, detail}); null stops tracing. */
  setTracer(fn: ((event: Omit<TraceEvent, 'line' | 't'>) => void) | null): void;
  /** Seconds a slice may run callbacks before control goes back to JS (default 0.008). */
  setSliceBudget(seconds: number): void;
  /**
   * null restores the default (print to stderr). An error the handler throws
   * is printed as asyncio does: "Unhandled error in exception handler", with
   * the report it was given.
   */
  setExceptionHandler(handler: ((loop: EventLoop, context: ExceptionContext) => void) | null): void;
  allTasks(): Task[];
}

// ---- primitives -----------------------------------------------------------------

/** Anything withLock() accepts. */
export interface Acquirable {
  acquire(): Operation<boolean>;
  release(): void;
}

/** asyncio.Lock: `yield lock.acquire()` ... `lock.release()`, or withLock(). */
export interface Lock extends Acquirable {
  locked(): boolean;
  dispose(): void;
}
/** asyncio.Event. */
export interface Event {
  wait(): Operation<true>;
  set(): void;
  clear(): void;
  isSet(): boolean;
  dispose(): void;
}
/** asyncio.Semaphore. */
export interface Semaphore extends Acquirable {
  locked(): boolean;
  dispose(): void;
}
/** asyncio.BoundedSemaphore. */
export interface BoundedSemaphore extends Semaphore {}
/** asyncio.Condition. */
export interface Condition extends Acquirable {
  locked(): boolean;
  /** Release the lock, wait for notify(), re-acquire it. */
  wait(): Operation<true>;
  /** `yield* cond.waitFor(() => ready)`. */
  waitFor<R>(predicate: () => R): Generator<unknown, R, any>;
  notify(n?: number): void;
  notifyAll(): void;
  dispose(): void;
}
/** asyncio.Barrier. */
export interface Barrier {
  /** Resolves to this task's arrival index. */
  wait(): Operation<number>;
  reset(): Operation<void>;
  abort(): Operation<void>;
  readonly parties: number;
  readonly nWaiting: number;
  readonly broken: boolean;
  dispose(): void;
}
/** asyncio.Queue of JS values (also LifoQueue, PriorityQueue). */
export interface Queue<T = unknown> {
  put(item: T): Operation<void>;
  get(): Operation<T>;
  join(): Operation<void>;
  putNowait(item: T): void;
  getNowait(): T;
  taskDone(): void;
  shutdown(immediate?: boolean): void;
  qsize(): number;
  readonly maxsize: number;
  empty(): boolean;
  full(): boolean;
  isShutdown(): boolean;
  dispose(): void;
}
/** asyncio.TaskGroup. */
export interface TaskGroup {
  /**
   * The group starts its tasks itself: the loop's task factory is not
   * called, but under eagerTaskFactory they start eagerly unless
   * `eagerStart` is false.
   */
  createTask<T>(coro: TaskSource<T>, options?: TaskOptions): Task<T>;
  /** The `async with` block: `yield tg.run(function* (tg) {...})`. */
  run<T>(body: Coroutine<T> | ((tg: TaskGroup) => Coroutine<T>)): Operation<T>;
  dispose(): void;
}

/** The scope of a running timeout() body (asyncio.Timeout); RuntimeError once it exited. */
export interface TimeoutScope {
  /** The deadline on the loop's clock, or null. */
  when(): number | null;
  /** Move the deadline (null: none). */
  reschedule(when: number | null): void;
  /** True once the deadline has fired (still readable after the scope exited). */
  expired(): boolean;
}

export type ReturnWhen = 'ALL_COMPLETED' | 'FIRST_COMPLETED' | 'FIRST_EXCEPTION';

/** Heap statistics of the wasm module. */
export interface MemoryStats {
  /** Bytes malloc'ed in the wasm heap (goes down when memory is freed). */
  heapUsed: number;
  /** JS values held by C++ (Embind handles). */
  emvalHandles: number;
  /** Size of the wasm memory (never shrinks). */
  heapSize: number;
}

/** Response headers (case-insensitive lookup; fields in order). */
export interface Headers extends Iterable<[string, string]> {
  get(name: string): string | null;
  has(name: string): boolean;
  entries(): Array<[string, string]>;
}
/** An HTTP response: status and headers at once, the body on demand (once). */
export interface Response {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly redirected: boolean;
  /**
   * JS Response.type. A browser answers redirect 'manual' with an
   * 'opaqueredirect' response: status 0, no headers, an empty body (Node
   * gives the 3xx response itself, type 'basic').
   */
  readonly type: 'basic' | 'cors' | 'default' | 'error' | 'opaque' | 'opaqueredirect';
  readonly headers: Headers;
  text(): Operation<string>;
  bytes(): Operation<Uint8Array>;
  /** `const v = yield r.json()` (a generator, run inline). */
  json(): Coroutine<any>;
  /** The body as a stream. */
  body(): BodyReader;
  dispose(): void;
}
export interface BodyReader {
  /** The next chunk, or null at the end of the body. */
  read(): Operation<Uint8Array | null>;
  dispose(): void;
}
/**
 * fetch()'s options: JS RequestInit's members. A value of another type, a
 * value JS fetch() refuses (checked with a Request made from them: an
 * unknown redirect mode, a header name that is not a token, a body with
 * GET), or a key that is not a RequestInit member (a misspelt
 * `redirects`), is a TypeError at the call, before anything is sent; null
 * or undefined is the default. The members besides method, headers, body
 * and signal go to JS fetch() as they are (Node ignores some, such as
 * cache and priority).
 */
export interface FetchOptions {
  /** "GET" by default. Not stringified as JS fetch() does: a number is a TypeError. */
  method?: string | null;
  /**
   * Names to values (values are made strings), or an iterable (an array, a
   * Headers, a Map) of [name, value] pairs.
   */
  headers?: Record<string, string | number> | Iterable<readonly [string, string]> | null;
  /**
   * Text (UTF-8), or bytes: an ArrayBuffer or any view of one (its bytes are
   * sent). Anything else (a number, a Blob, FormData) is a TypeError.
   */
  body?: string | ArrayBuffer | ArrayBufferView | null;
  /**
   * Aborting it before the body is read to the end aborts the request at
   * once, as in JS fetch(), even while the body waits unread (the server
   * sees the connection closed): the fetch, and every body read from then
   * on, fails with `signal.reason` (a DOMException AbortError by default).
   * Aborted already: the result fails at once and nothing is sent. It is
   * not listened to once the body is read to the end or has failed, or the
   * Response is disposed, so a signal shared by many fetches keeps no
   * listener for responses that are done. Any realm's AbortSignal (an
   * iframe's) is accepted; other objects are a TypeError. (Cancelling the
   * task is the asyncio way, and raises CancelledError.)
   */
  signal?: AbortSignal | null;
  /**
   * 'follow' (default), 'error' (a redirect is a FetchError) or 'manual':
   * the 3xx response in Node; in browsers a Response of type
   * 'opaqueredirect', status 0 (the Location is hidden).
   */
  redirect?: 'follow' | 'error' | 'manual' | null;
  credentials?: 'omit' | 'same-origin' | 'include' | null;
  mode?: 'cors' | 'no-cors' | 'same-origin' | null;
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached' | null;
  /** A same-origin URL, 'about:client' (default) or '' (none). */
  referrer?: string | null;
  referrerPolicy?: '' | 'no-referrer' | 'no-referrer-when-downgrade' | 'same-origin' | 'origin' | 'strict-origin'
    | 'origin-when-cross-origin' | 'strict-origin-when-cross-origin' | 'unsafe-url' | null;
  /** Subresource Integrity metadata the body must match ('sha256-...'). */
  integrity?: string | null;
  keepalive?: boolean | null;
  priority?: 'high' | 'low' | 'auto' | null;
  duplex?: 'half' | null;
  /** Only null, as in RequestInit. */
  window?: null;
}
/** A WebSocket client connection (aio's, cancellable). */
export interface WebSocket {
  /**
   * A text message, or a binary one of an ArrayBuffer or any view of one (its
   * bytes); anything else is a TypeError. ConnectionClosed once closed.
   */
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  /** A text message as a string, a binary one as a Uint8Array. */
  receive(): Operation<string | Uint8Array>;
  /**
   * `async for m in ws`: `messages.next()` gives the next message, or null
   * once the connection closed cleanly (ConnectionClosedOK); an abnormal
   * close raises ConnectionClosedError.
   *   const messages = ws.messages();
   *   for (let m; (m = yield messages.next()) !== null;) handle(m);
   */
  messages(): { next(): Coroutine<string | Uint8Array | null> };
  /**
   * Close with `code` (an integer: 1000, or 3000-4999; TypeError / ValueError
   * otherwise) and `reason` (at most 123 bytes of UTF-8, else ValueError),
   * then wait until closed. Closed already: returns at once.
   */
  close(code?: number, reason?: string): Operation<void>;
  waitClosed(): Operation<void>;
  queued(): number;
  bufferedAmount(): number;
  dispose(): void;
}
export interface WebSocketConstructor {
  /** `const ws = yield rt.WebSocket.connect(url)`. */
  connect(url: string, protocols?: Iterable<string>): Operation<WebSocket>;
}

/** A demo program (runtime/demos), as demos.list() describes it. */
export interface DemoInfo {
  name: string;
  title: string;
  group: string;
  summary: string;
  /** Its CPython twin in tests/conformance ("" for none). */
  scenario: string;
  params: Array<{ name: string; kind: 'integer' | 'number' | 'text' | 'flag' | string; default: string; help: string }>;
}
/** A trace event of a demo's loop (as `aio run --trace` writes them). */
export interface TraceEvent {
  /** Loop time in seconds. */
  time: number;
  /** The same in integer microseconds, as the JSON Lines record has it. */
  t: number;
  kind: string;
  id: number;
  name: string;
  detail: string;
  /** The event as `aio run --trace-format jsonl` writes it (no newline). */
  line: string;
}
/** A running demo: a thenable of its exit status (0 ok, 1 raised, 2 usage, 130 cancelled). */
export interface DemoRun extends PromiseLike<number> {
  /** Stop it as Ctrl-C stops asyncio.run(). */
  cancel(): void;
  /** Cancel a pending task by id (N of Task-N) or, for tasks the demo named (id 0 in the trace), by name. */
  cancelTask(idOrName: number | string): boolean;
  done(): boolean;
}
export interface Demos {
  /** Whether the demos that need threads (the "threads" group) are listed and run (on Web Workers). */
  readonly hasThreads: boolean;
  list(): DemoInfo[];
  run(
    name: string,
    params?: Record<string, string | number | boolean>,
    options?: {
      onOutput?: (line: string) => void;
      onError?: (line: string) => void;
      onTrace?: (event: TraceEvent) => void;
      /**
       * The trace's JSON lines as UTF-8, a batch at a time, joined by '\n'
       * (none after the last): a view valid during the call only.
       */
      onTraceBytes?: (bytes: Uint8Array) => void;
      clock?: Clock;
      timestamps?: boolean;
      /** Virtual clock only: 0 (default) jumps at once; 1 real speed; 10 ten times faster. */
      speed?: number;
      /** Seconds the loop runs before control goes back to JS (0: the host's 0.008). */
      sliceBudget?: number;
    },
  ): DemoRun;
}

/** A class that `instanceof` narrows to T, with no public constructor. */
type AbstractClassOf<T> = abstract new (...args: never[]) => T;

type Results<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends TaskSource<infer R> ? R : unknown };

/** The loop and the asyncio API of one instance of the wasm module. */
export interface Runtime {
  /** The default loop (clock from createRuntime's options). */
  readonly loop: EventLoop;
  /** `debug`: setDebug(true). */
  readonly EventLoop: new (options?: { clock?: Clock; debug?: boolean }) => EventLoop;
  /**
   * The classes of this runtime's futures, tasks and handles, for
   * `x instanceof rt.Task`: made by loop.createFuture(), createTask(),
   * callSoon()..., never constructed directly, except a Task in a task
   * factory: `new rt.Task(coro, {loop, name, eagerStart})` schedules `coro`
   * without calling the factory (loop: default the running one).
   */
  readonly Future: AbstractClassOf<Future>;
  readonly Task: new <T>(coro: TaskSource<T>, options?: TaskOptions & { loop?: EventLoop }) => Task<T>;
  readonly Handle: AbstractClassOf<Handle>;
  /**
   * asyncio.run: a new loop runs `main`, then cancels what is left, closes
   * and frees the loop (the loop object then acts as a closed loop: RuntimeError
   * 'Event loop is closed' where it would need to schedule anything; time() works).
   * Responses and WebSockets made during the run can be used by later runs.
   */
  run<T>(main: TaskSource<T>, options?: { clock?: Clock; debug?: boolean }): Promise<T>;
  sleep<T = undefined>(delay: number, result?: T): Operation<T>;
  /** asyncio.gather; with no running loop, one of `aws` must be a Future (its loop is used). */
  gather<T extends readonly TaskSource[]>(...aws: T): Future<Results<T>>;
  gather(...aws: Array<TaskSource | { returnExceptions?: boolean }>): Future<unknown[]>;
  wait<F extends Future>(aws: Iterable<F>, options?: { timeout?: number | null; returnWhen?: ReturnWhen }): Operation<[F[], F[]]>;
  /**
   * asyncio.wait_for. A coroutine, as in asyncio: nothing runs until it is
   * awaited (yielded, or given to runUntilComplete/createTask/gather), whether
   * a loop runs at the call or not; then it makes the task of `aw`. The
   * timeout is checked at the call.
   */
  waitFor<T>(aw: TaskSource<T>, timeout: number | null): Operation<T>;
  /** asyncio.shield; with no running loop, `aw` must be a Future (its loop is used). */
  shield<T>(aw: TaskSource<T>): Future<T>;
  /**
   * asyncio.as_completed, in both of Python 3.13's forms: the array of
   * generators giving the results in completion order, and `next()` /
   * `for await` giving the futures themselves as they complete.
   */
  asCompleted<T>(aws: Iterable<TaskSource<T>>, options?: { timeout?: number | null }): AsCompleted<T>;
  /** `async with asyncio.timeout(delay) as cm:` — `yield rt.timeout(1, function* (cm) {...})`. */
  timeout<T>(delay: number | null, body: Coroutine<T> | ((cm: TimeoutScope) => Coroutine<T>)): Operation<T>;
  timeoutAt<T>(when: number | null, body: Coroutine<T> | ((cm: TimeoutScope) => Coroutine<T>)): Operation<T>;
  readonly TaskGroup: new () => TaskGroup;
  taskGroup<T>(body: (tg: TaskGroup) => Coroutine<T>): Operation<T>;
  readonly Lock: new () => Lock;
  readonly Event: new () => Event;
  readonly Condition: new (lock?: Lock) => Condition;
  readonly Semaphore: new (value?: number) => Semaphore;
  readonly BoundedSemaphore: new (value?: number) => BoundedSemaphore;
  readonly Barrier: new (parties: number) => Barrier;
  readonly Queue: new <T = unknown>(maxsize?: number) => Queue<T>;
  readonly LifoQueue: new <T = unknown>(maxsize?: number) => Queue<T>;
  readonly PriorityQueue: new <T = unknown>(maxsize?: number) => Queue<T>;
  withLock<T>(primitive: Acquirable, body: CoroutineFunction<T>): Generator<unknown, T, any>;
  currentTask(): Task | null;
  allTasks(loop?: EventLoop): Task[];
  createTask<T>(coro: TaskSource<T>, options?: TaskOptions): Task<T>;
  /** asyncio.eager_task_factory (the same as the package's export). */
  readonly eagerTaskFactory: TaskFactory;
  ensureFuture<T>(aw: TaskSource<T>, loop?: EventLoop): Future<T>;
  getRunningLoop(): EventLoop;
  /**
   * `const r = yield rt.fetch(url, options)`: cancelling the task aborts the
   * request (CancelledError), and so does aborting `options.signal` (its reason).
   */
  fetch(url: string | URL, options?: FetchOptions | null): Operation<Response>;
  readonly WebSocket: WebSocketConstructor;
  /** The demo programs: null until loadDemos() (or createRuntime({demos: true})). */
  demos: Demos | null;
  /** Load the demos' own module (aio-demos.wasm; aio-demos-threads.wasm with threads) once. */
  loadDemos(): Promise<Demos>;
  /**
   * Whether this runtime's module has threads (see RuntimeOptions.threads):
   * C++ run_in_executor and to_thread run on Web Workers; without threads
   * they raise RuntimeError saying why, never running the job inline.
   */
  readonly hasThreads: boolean;
  memory(): MemoryStats;
}

export interface RuntimeOptions {
  /** Clock of the default loop. */
  clock?: Clock;
  /** The bytes of aio.wasm, where the loader cannot read or fetch it. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Seconds a slice of the default loop may run before yielding to JS. */
  sliceBudget?: number;
  /** The WebSocket class where there is no global one (Node 20: the npm `ws` package's). */
  WebSocket?: unknown;
  /** Load the demos' module too (runtime.demos is then set). */
  demos?: boolean;
  /** The bytes of aio-demos.wasm, where the loader cannot read or fetch it. */
  demosWasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * Threads: C++ run_in_executor and to_thread on Web Workers (the threads
   * modules, built with -pthread). true: the runtime's module is
   * aio-threads.wasm and the demos' aio-demos-threads.wasm (Node, or a
   * cross-origin isolated page: served with Cross-Origin-Opener-Policy:
   * same-origin and Cross-Origin-Embedder-Policy: require-corp; elsewhere
   * createRuntime rejects with a RuntimeError saying why). Undefined (the
   * default): the default module, and in an isolated page loadDemos() adds
   * the demos that need threads from aio-demos-threads.wasm. false: never.
   * `wasmBinary` and `demosWasmBinary` are the loaded modules' bytes.
   */
  threads?: boolean;
}

/** Load the WebAssembly module and return a runtime. */
export function createRuntime(options?: RuntimeOptions): Promise<Runtime>;

/** Suspend the current task (asyncio.sleep): `yield sleep(1)`. */
export function sleep<T = undefined>(delay: number, result?: T): Operation<T>;
/** `async with lock:` for coroutines: `yield* withLock(lock, function* () {...})`. */
export function withLock<T>(primitive: Acquirable, body: CoroutineFunction<T>): Generator<unknown, T, any>;
