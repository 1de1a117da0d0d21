import { compareEvents, maskEmail, maskPii, type NormalizedEvent, type ProcessState } from '@signtrail/core';

/** How results are printed. */
export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

/** Output flags shared by every command that prints events. */
export interface OutputOptions {
  format: OutputFormat;
  raw: boolean;
  showPii: boolean;
}

type Write = (text: string) => void;

/**
 * Prints events (and states) in the chosen format; the events in core's order (`compareEvents`: occurredAt,
 * then seq, then id), not the vendor's, which is not always chronological (ZapSign's signer log is not).
 */
export function printResult(
  write: Write,
  unordered: readonly NormalizedEvent[],
  states: readonly ProcessState[],
  options: OutputOptions,
  /** False on later pages of one CSV stream, so the header is written once. */
  header = true,
): void {
  const events = [...unordered].sort(compareEvents);
  const shown = options.raw ? events : events.map(withoutRaw);
  switch (options.format) {
    case 'json': {
      const document = states.length === 1 ? { events: shown, state: states[0] } : { events: shown, states };
      write(`${JSON.stringify(document, null, 2)}\n`);
      return;
    }
    case 'ndjson':
      for (const event of shown) write(`${JSON.stringify(event)}\n`);
      return;
    case 'csv':
      if (header) write(csvHeader(options.raw));
      for (const event of events) write(csvRow(event, options));
      return;
    default:
      write(timelineTable(events, options.showPii));
      for (const state of states) write(stateTable(state, options.showPii));
  }
}

/** Prints process states only (the `status` command). */
export function printStates(write: Write, states: readonly ProcessState[], options: OutputOptions): void {
  if (options.format === 'table') {
    for (const state of states) write(stateTable(state, options.showPii));
    return;
  }
  if (options.format === 'csv') {
    write(
      'vendor,processId,status,vendorStatus,signerId,signerName,signerEmail,signerStatus,signedAt,anomalies\n',
    );
    for (const state of states) {
      for (const signer of state.signers.length ? state.signers : [undefined]) {
        const email = signer?.email && !options.showPii ? maskEmail(signer.email) : signer?.email;
        write(
          `${[
            state.vendor,
            state.processId,
            state.status,
            state.vendorStatus,
            signer?.signerId,
            signer?.name,
            email,
            signer?.status,
            signer?.signedAt,
            state.anomalies.length,
          ]
            .map(csvCell)
            .join(',')}\n`,
        );
      }
    }
    return;
  }
  const text = states.length === 1 ? JSON.stringify(states[0], null, 2) : JSON.stringify(states, null, 2);
  write(options.format === 'ndjson' ? states.map((s) => `${JSON.stringify(s)}\n`).join('') : `${text}\n`);
}

function withoutRaw(event: NormalizedEvent): Omit<NormalizedEvent, 'raw'> {
  const { raw: _raw, ...rest } = event;
  return rest;
}

const CSV_COLUMNS = [
  'occurredAt',
  'vendor',
  'processId',
  'type',
  'actorKind',
  'actorName',
  'actorEmail',
  'signerId',
  'channel',
  'vendorType',
  'description',
  'origin',
  'id',
];

function csvHeader(raw: boolean): string {
  return `${[...CSV_COLUMNS, ...(raw ? ['raw'] : [])].join(',')}\n`;
}

function csvRow(event: NormalizedEvent, options: OutputOptions): string {
  const mask = (text: string | undefined) => (text === undefined || options.showPii ? text : maskPii(text));
  const cells = [
    event.occurredAt,
    event.vendor,
    event.processId,
    event.type,
    event.actor.kind,
    event.actor.name,
    event.actor.email && !options.showPii ? maskEmail(event.actor.email) : event.actor.email,
    mask(event.signerId),
    event.channel,
    event.vendorEvent.type,
    mask(event.vendorEvent.description),
    event.origin,
    event.id,
  ];
  if (options.raw)
    cells.push(options.showPii ? JSON.stringify(event.raw) : maskPii(JSON.stringify(event.raw)));
  return `${cells.map(csvCell).join(',')}\n`;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  // A leading = + - @ would be run as a formula by spreadsheet programs.
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function timelineTable(events: readonly NormalizedEvent[], showPii: boolean): string {
  if (events.length === 0) return 'No events.\n';
  const rows = events.map((event) => {
    const who = event.actor.name ?? event.actor.email ?? event.actor.id ?? event.actor.kind;
    const detail = event.vendorEvent.description ?? event.vendorEvent.type;
    return [
      event.occurredAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      event.type,
      showPii ? who : maskPii(who),
      event.signerId === undefined ? '' : showPii ? event.signerId : maskPii(event.signerId),
      event.channel ?? '',
      truncate(showPii ? detail : maskPii(detail), 60),
    ];
  });
  return table(['time (UTC)', 'type', 'actor', 'signer', 'channel', 'vendor record'], rows);
}

function stateTable(state: ProcessState, showPii: boolean): string {
  const lines = [
    `\n${state.vendor} ${state.processId}: ${state.status}${state.vendorStatus ? ` (vendor: ${state.vendorStatus})` : ''}`,
    `  events ${state.counts.events}, signers ${state.counts.signed}/${state.counts.signers} signed${state.completedAt ? `, completed ${state.completedAt}` : ''}`,
  ];
  if (state.signers.length > 0) {
    const rows = state.signers.map((signer) => [
      showPii ? signer.signerId : maskPii(signer.signerId),
      signer.name ?? '',
      signer.email ? (showPii ? signer.email : maskEmail(signer.email)) : '',
      `${signer.status}${signer.removed ? ' (removed)' : ''}`,
      signer.signedAt ?? '',
    ]);
    lines.push(indent(table(['signer', 'name', 'e-mail', 'status', 'signed at'], rows)));
  }
  for (const anomaly of state.anomalies) lines.push(`  anomaly ${anomaly.code}: ${anomaly.message}`);
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
