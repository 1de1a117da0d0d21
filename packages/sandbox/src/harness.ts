import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ArmedRule, type Fault, type FaultRule, faultsFor, mismatchShape } from './faults.js';

/** A request as a simulator route sees it. */
export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** 1-based count of requests to this route, this one included. */
  routeHit: number;
}

/** A simulator route's answer: `json` is serialized; `body` is sent as is. */
export interface SimResponse {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Uint8Array;
}

/** One vendor route. `path` segments starting with `:` are parameters. */
export interface SimRoute {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Run `authenticate` first. Default true. */
  auth?: boolean;
  handle(request: SimRequest): SimResponse | Promise<SimResponse>;
}

/** Options of `startSimulator`. */
export interface SimulatorOptions {
  vendor: string;
  routes: SimRoute[];
  /** Checks credentials: returns the vendor's error response when they are wrong. */
  authenticate?: (request: SimRequest) => SimResponse | undefined;
  faults?: FaultRule[];
  /** Called by the `shift` fault: insert `count` new records before the request is answered. */
  onShift?: (count: number) => void;
  /** Path prefix every route lives under, e.g. `/api`. */
  basePath?: string;
  /** Largest request body accepted, bytes. Default 64 MiB (webhooks carry whole PDFs). */
  maxBodyBytes?: number;
  port?: number;
}

/** What the simulator saw: no headers and no body, so no credential ends up in a test log. */
export interface RequestLogEntry {
  method: string;
  path: string;
  route?: string;
  status: number;
  faults: Fault['kind'][];
}

/** A running simulator on 127.0.0.1. */
export interface Simulator {
  vendor: string;
  baseUrl: string;
  port: number;
  requests: RequestLogEntry[];
  setFaults(rules: FaultRule[]): void;
  hits(routeName: string): number;
  close(): Promise<void>;
}

/** Random per-server credential material (hex). */
export function randomSecret(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

interface CompiledRoute extends SimRoute {
  pattern: RegExp;
  names: string[];
}

function compile(route: SimRoute, basePath: string): CompiledRoute {
  const names: string[] = [];
  const source = `${basePath}${route.path}`
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

/** Starts a vendor simulator on 127.0.0.1 (random port by default) with routes, auth and faults. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const routes = options.routes.map((route) => compile(route, basePath));
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  let rules: ArmedRule[] = (options.faults ?? []).map((rule) => ({ ...rule, applied: 0 }));
  const routeHits = new Map<string, number>();
  const requests: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  const held = new Set<ReturnType<typeof setTimeout>>();
  let totalHits = 0;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        res
          .writeHead(413, { 'content-type': 'application/json' })
          .end('{"message":"request body too large"}');
        return;
      }
      chunks.push(chunk as Buffer);
    }
    totalHits += 1;
    let route: CompiledRoute | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of routes) {
      if (candidate.method !== req.method) continue;
      match = candidate.pattern.exec(url.pathname);
      if (match) {
        route = candidate;
        break;
      }
    }
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: url.pathname, status: 0, faults: [] };
    requests.push(entry);
    if (!route || !match) {
      entry.status = 404;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no such route"}');
      return;
    }
    entry.route = route.name;
    const routeHit = (routeHits.get(route.name) ?? 0) + 1;
    routeHits.set(route.name, routeHit);
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] ?? '');
    });
    const request: SimRequest = {
      method: entry.method,
      path: url.pathname,
      params,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      routeHit,
    };

    const faults = faultsFor(rules, route.name, routeHit, totalHits);
    entry.faults = faults.map((f) => f.kind);
    for (const fault of faults) {
      if (fault.kind === 'latency') await sleep(fault.ms);
      if (fault.kind === 'shift') options.onShift?.(fault.count);
    }
    const blocking = faults.find((f) => !['latency', 'shift', 'truncate', 'schema'].includes(f.kind));
    if (blocking) {
      entry.status = answerFault(blocking, res, held);
      return;
    }

    let answer: SimResponse | undefined;
    try {
      answer = route.auth === false ? undefined : options.authenticate?.(request);
      answer ??= await route.handle(request);
    } catch (error) {
      answer = { status: 500, json: { message: `simulator error: ${(error as Error).message}` } };
    }
    const status = answer.status ?? 200;
    entry.status = status;
    let json = answer.json;
    if (json !== undefined && faults.some((f) => f.kind === 'schema')) json = mismatchShape(json);
    const body = json !== undefined ? Buffer.from(JSON.stringify(json)) : Buffer.from(answer.body ?? '');
    const headers: Record<string, string> = {
      ...(json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...answer.headers,
    };
    if (faults.some((f) => f.kind === 'truncate')) {
      res.writeHead(status, { ...headers, 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.writeHead(status, headers).end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    vendor: options.vendor,
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    port,
    requests,
    setFaults(next) {
      rules = next.map((rule) => ({ ...rule, applied: 0 }));
    },
    hits: (name) => routeHits.get(name) ?? 0,
    async close() {
      for (const timer of held) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answerFault(fault: Fault, res: ServerResponse, held: Set<ReturnType<typeof setTimeout>>): number {
  switch (fault.kind) {
    case 'status':
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('sandbox fault');
      return fault.status;
    case 'rate-limit':
      res
        .writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(fault.retryAfterSeconds),
        })
        .end('{"message":"Too many requests"}');
      return 429;
    case 'reset':
      res.socket?.resetAndDestroy();
      return 0;
    case 'timeout': {
      const timer = setTimeout(() => {
        held.delete(timer);
        res.socket?.destroy();
      }, fault.ms ?? 10_000);
      held.add(timer);
      return 0;
    }
    default:
      return 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
