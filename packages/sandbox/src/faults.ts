/** One misbehaviour a simulator can show a client. */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'reset' }
  /** Hold the request without answering; the socket is destroyed after `ms` (default 10 s) or on close. */
  | { kind: 'timeout'; ms?: number }
  /** Send the status and headers, then only half of the body, then end the connection. */
  | { kind: 'truncate' }
  /** Answer a JSON body of the wrong shape: an array becomes an object and an object an array. */
  | { kind: 'schema' }
  /** Before answering, insert `count` new records (the simulator's `onShift`), so offset pages shift. */
  | { kind: 'shift'; count: number };

/** When a fault applies: to one route (by name) or all, on given hits, every n-th hit, at most `times`. */
export interface FaultRule {
  fault: Fault;
  /** Route name; every route when absent. */
  route?: string;
  /** 1-based request numbers of that route (or of all requests when `route` is absent). */
  hits?: number[];
  /** Every n-th request. */
  every?: number;
  /** Apply at most this many times. */
  times?: number;
}

/** A fault rule with its own application count. */
export interface ArmedRule extends FaultRule {
  applied: number;
}

/** The faults that apply to a request; each applied rule's count goes up. */
export function faultsFor(rules: ArmedRule[], route: string, routeHit: number, totalHit: number): Fault[] {
  const out: Fault[] = [];
  for (const rule of rules) {
    if (rule.route !== undefined && rule.route !== route) continue;
    const hit = rule.route === undefined ? totalHit : routeHit;
    if (rule.times !== undefined && rule.applied >= rule.times) continue;
    const matches =
      (rule.hits === undefined && rule.every === undefined) ||
      (rule.hits?.includes(hit) ?? false) ||
      (rule.every !== undefined && hit % rule.every === 0);
    if (!matches) continue;
    rule.applied += 1;
    out.push(rule.fault);
  }
  return out;
}

/** A JSON value of the wrong shape for the same route: arrays become objects, objects arrays. */
export function mismatchShape(value: unknown): unknown {
  if (Array.isArray(value)) return { items: value };
  if (value !== null && typeof value === 'object') return [value];
  return { value };
}

/** One of every fault kind, for tests that walk all of them. */
export const ALL_FAULTS: readonly Fault[] = [
  { kind: 'latency', ms: 50 },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503 },
  { kind: 'rate-limit', retryAfterSeconds: 0 },
  { kind: 'reset' },
  { kind: 'timeout', ms: 1500 },
  { kind: 'truncate' },
  { kind: 'schema' },
  { kind: 'shift', count: 3 },
];
