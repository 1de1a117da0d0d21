// server.query: requests/s of GET /v1/events?limit=100 over a filled store vs a bare Hono route answering a
// pre-serialized page of the same size. The store is PostgreSQL when one answers (else PGlite, see
// lib/server-fixture.mjs); SERVER_QUERY_EVENTS sets its size (default 50 000; a run with the 1 000 000
// took under two and a half minutes on PostgreSQL, filling included). The ratio is ours / floor: higher is
// better, target ≥ 0.5.
import { percentile, printRatio } from './lib/measure.mjs';
import { startApi, startBare, throughput, WINDOW } from './lib/server-fixture.mjs';

const events = Number(process.env.SERVER_QUERY_EVENTS ?? 50_000);
const api = await startApi(events);
const path = `${api.url}/v1/events?${WINDOW}&limit=100`;
const body = await (await fetch(path, { headers: api.headers })).text();
const bare = await startBare(body);
// Not the floor, a yardstick: the same bare route plus one trivial database round trip per request.
const roundTrip = api.databaseUrl ? await startBare(body, { databaseUrl: api.databaseUrl }) : undefined;
const rates = { ours: [], floor: [], roundTrip: [] };
for (let round = 0; round < 3; round += 1) {
  rates.ours.push(await throughput(path, { headers: api.headers, ms: 3000 }));
  rates.floor.push(await throughput(`${bare.url}/page`, { ms: 3000 }));
  if (roundTrip) rates.roundTrip.push(await throughput(`${roundTrip.url}/page`, { ms: 3000 }));
}
const median = (xs) => percentile(xs, 50);
const ours = median(rates.ours);
const floor = median(rates.floor);
printRatio('server.query', ours, floor, 'req/s');
console.error(`(${api.stored} events stored on ${api.driver}, page ${body.length} bytes)`);
if (roundTrip) {
  const withTrip = median(rates.roundTrip);
  console.error(
    `(bare route + one SELECT 1 round trip: ${withTrip.toFixed(0)} req/s, ${(withTrip / floor).toFixed(2)} of the floor)`,
  );
  await roundTrip.close();
}
await bare.close();
await api.close();
