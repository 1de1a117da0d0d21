// Shared benchmark helpers: timing with warm-up and the one ratio line format every benchmark prints.
import { hash } from 'node:crypto';

/** Median wall time in ms of `fn` over `runs` runs after `warmup` runs. */
export async function medianMs(fn, { runs = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i += 1) await fn();
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    globalThis.gc?.();
    const started = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints `name: ratio=X.XX (ours A, floor B)`; `unit` labels the figures (ms, req/s…). */
export function printRatio(name, ours, floor, unit = 'ms', ratio = ours / floor) {
  const fmt = (x) => `${x >= 100 ? x.toFixed(0) : x.toFixed(2)} ${unit}`;
  console.log(`${name}: ratio=${ratio.toFixed(2)} (ours ${fmt(ours)}, floor ${fmt(floor)})`);
}

/**
 * Medians of `ours` and `floor` measured in alternation (ours, floor, ours, floor…), so load from
 * other processes on a shared machine weighs on both alike. Each subject is a function, or
 * `{ reset, run }` where the untimed `reset` runs before every timed `run`. Returns `[oursMs, floorMs]`.
 */
export async function alternateMedians(ours, floor, { runs = 7, warmup = 1 } = {}) {
  const subjects = [ours, floor].map((subject) =>
    typeof subject === 'function' ? { run: subject } : subject,
  );
  const times = [[], []];
  for (let round = 0; round < warmup + runs; round += 1) {
    for (const [index, { reset, run }] of subjects.entries()) {
      await reset?.();
      globalThis.gc?.();
      const started = process.hrtime.bigint();
      await run();
      if (round >= warmup) times[index].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}

/** The `p`-th percentile (0–100, nearest rank) of `values`. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * The normalize benchmarks: `normalize(JSON.parse(text))` against bare `JSON.parse(text)` in alternation;
 * prints the payload's size and event count on stderr, then the ratio line `name: ratio=…`. With `bound`,
 * also `name.bound: ratio=…`, the least any normalizer can cost with DESIGN's ids (see `idBound`).
 */
export async function benchNormalize(name, text, normalize, { runs = 7, bound } = {}) {
  let events = 0;
  const [ours, floor] = await alternateMedians(
    () => {
      events = normalize(JSON.parse(text)).events.length;
    },
    () => {
      JSON.parse(text);
    },
    { runs },
  );
  if (events === 0) throw new Error(`${name}: no events normalized`);
  process.stderr.write(`${(text.length / 1e6).toFixed(1)} MB, ${events} events\n`);
  printRatio(name, ours, floor);
  if (!bound) return;
  let bare = 0;
  const [least, boundFloor] = await alternateMedians(
    () => {
      bare = idBound(JSON.parse(text), bound);
    },
    () => {
      JSON.parse(text);
    },
    { runs },
  );
  if (bare !== events) throw new Error(`${name}.bound: ${bare} records, normalize gave ${events} events`);
  printRatio(`${name}.bound`, least, boundFloor);
}

const SHARED = Object.freeze({});

/**
 * A lower bound, not a normalizer: `visit(payload, emit)` calls `emit(processId, idText)` once per record,
 * with the text the vendor's adapter hashes into the event id (escaping and repeat counting left out), and
 * each call does only what no normalizer can skip: one SHA-256 of that text (the id that keeps ingestion
 * idempotent and collision-proof) and one event object holding it. Returns the number of records.
 */
function idBound(payload, visit) {
  const events = [];
  visit(payload, (processId, idText) => {
    events.push({
      id: hash('sha256', idText, 'hex'),
      processId,
      seq: events.length,
      actor: SHARED,
      data: SHARED,
      vendorEvent: SHARED,
      raw: SHARED,
    });
  });
  return events.length;
}
