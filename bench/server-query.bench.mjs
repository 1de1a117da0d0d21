// server.query: requests/s of GET /v1/events?limit=100 over a filled store vs a bare Hono route answering a
// pre-serialized page of the same size. The store is PostgreSQL when one answers (else PGlite, see
// lib/server-fixture.mjs); SERVER_QUERY_EVENTS sets its size (default 50 000; a run with the 1 000 000
// took under two and a half minutes on PostgreSQL, filling included). The ratio is ours / floor: higher is
// better, target ≥ 0.5.
import { percentile, printRatio } from './lib/measure.mjs';
import { selectOne, startApi, startBare, throughput, WINDOW } from './lib/server-fixture.mjs';

const events = Number(process.env.SERVER_QUERY_EVENTS ?? 50_000);
const ROUNDS = 3;
const api = await startApi(events);
const path = `${api.url}/v1/events?${WINDOW}&limit=100`;
const body = await (await fetch(path, { headers: api.headers })).text();
const bare = await startBare(body);
// Not floors, yardsticks: the bare route plus one trivial database round trip per request, and the bare
// route answering the store's own page query (the same page, no API key, parameters or logging).
const roundTrip = api.databaseUrl ? selectOne(api.databaseUrl) : undefined;
const withTrip = roundTrip
  ? await startBare(async () => {
      await roundTrip.query();
      return body;
    })
  : undefined;
const [from, to] = WINDOW.split('&').map((pair) => pair.split('=')[1]);
const pageQuery = { tenant: 'bench', from, to, limit: 100 };
const storePage = await startBare(async () => (await api.store.queryEventsJson(pageQuery)).json);
const rates = { ours: [], floor: [], withTrip: [], storePage: [] };
// Round 0 warms every subject up (the JIT, the pools' sessions) and is not counted: measured, the first
// round of the API ran at two thirds of the later ones, and the floor's at four fifths.
for (let round = 0; round <= ROUNDS; round += 1) {
  const measured = {
    ours: await throughput(path, { headers: api.headers, ms: 3000 }),
    floor: await throughput(`${bare.url}/page`, { ms: 3000 }),
    withTrip: withTrip && (await throughput(`${withTrip.url}/page`, { ms: 3000 })),
    storePage: await throughput(`${storePage.url}/page`, { ms: 3000 }),
  };
  if (round === 0) continue;
  for (const [subject, rate] of Object.entries(measured)) if (rate) rates[subject].push(rate);
}
const median = (xs) => percentile(xs, 50);
const ours = median(rates.ours);
const floor = median(rates.floor);
printRatio('server.query', ours, floor, 'req/s');
console.error(`(${api.stored} events stored on ${api.driver}, page ${body.length} bytes)`);
const yardstick = (label, list) => {
  const rate = median(list);
  console.error(`(${label}: ${rate.toFixed(0)} req/s, ${(rate / floor).toFixed(2)} of the floor)`);
};
if (withTrip) yardstick('bare route + one SELECT 1 round trip', rates.withTrip);
yardstick("bare route answering the store's page query", rates.storePage);
for (const server of [withTrip, storePage, bare]) await server?.close();
await roundTrip?.end();
await api.close();
