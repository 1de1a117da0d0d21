// server.deep_page: latency of a cursor page 10 000 pages deep vs page 2 (the first cursor page) (limit 10 over ≥ 100 000 events,
// SERVER_DEEP_EVENTS). Keyset paging should make them cost the same: ratio = deep / first, target ≤ 1.2.
import { alternateMedians, printRatio } from './lib/measure.mjs';
import { startApi, WINDOW } from './lib/server-fixture.mjs';

const limit = 10;
const depth = 10_000;
const api = await startApi(Number(process.env.SERVER_DEEP_EVENTS ?? limit * depth + 1000));
const base = `${api.url}/v1/events?${WINDOW}&limit=${limit}`;
// Both sides page by cursor (offset pages also count the total, which would flatter the deep page).
const second = (await (await fetch(base, { headers: api.headers })).json()).nextCursor;
const first = `${base}&cursor=${second}`;
// The cursor of page 10 000: keyset cursors name a position, so walk there with large pages.
let cursor;
for (let skipped = 0; skipped < limit * (depth - 1); skipped += 1000) {
  const size = Math.min(1000, limit * (depth - 1) - skipped);
  const page = await (
    await fetch(`${api.url}/v1/events?${WINDOW}&limit=${size}${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: api.headers,
    })
  ).json();
  cursor = page.nextCursor;
}
const deep = `${base}&cursor=${cursor}`;
const fetchPage = (url) => async () => {
  for (let i = 0; i < 20; i += 1) {
    const response = await fetch(url, { headers: api.headers });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    await response.arrayBuffer();
  }
};
const [deepMs, firstMs] = await alternateMedians(fetchPage(deep), fetchPage(first), { runs: 7 });
printRatio('server.deep_page', deepMs / 20, firstMs / 20, 'ms');
await api.close();
