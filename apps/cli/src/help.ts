/** Help texts: every command shows an example. Kept free of imports so `--help` starts fast. */
export const HELP: Record<string, string> = {
  main: `signtrail — one audit trail for every e-signature vendor

Usage: signtrail <command> [options]

Commands:
  normalize   turn a vendor payload (file or stdin) into normalized events, offline
  log         fetch one process's trail from a vendor: timeline and state
  status      the folded state of one process: status, signers, anomalies
  activity    company-wide activity in a time window, streaming
  sync        copy vendor activity into the store (PGlite by default, PostgreSQL with --database-url)
  export      print stored events (json, ndjson, csv)
  sandbox     start the vendor simulators with demo data
  admin       create tenants, API keys and vendor connections for the server

Output (where events are printed): --json | --ndjson | --csv (default: a table on a terminal,
NDJSON when piped), --raw (include the vendor record), --show-pii (no masking of SSN, phone, e-mail).
Other: --config FILE (vendor settings; also SIGNTRAIL_CONFIG), --debug (stack traces), --help.
Credentials come from environment variables or the config file, never from the command line.

Examples:
  signtrail normalize --vendor zapsign signer-log.json
  signtrail status taktikal sp231f52f87d6f4caaa2e29ecac92d055b
  signtrail activity zapsign --from 2024-11-01 --to 2024-12-01 --ndjson > november.ndjson

Exit codes: 0 ok, 1 vendor/network/data failure, 2 usage error.
`,
  normalize: `signtrail normalize --vendor <taktikal|signinghub|zapsign> [FILE|-]

Reads a payload exactly as the vendor API returns it (Taktikal current array or legacy object,
SigningHub package log, ZapSign signer-log array) from FILE or stdin and prints normalized events
and the folded state. Needs no network and no credentials.

Options: --vendor V (required), --time-zone ZONE (SigningHub: zone of its zone-less times, default UTC),
--json | --ndjson | --csv, --raw, --show-pii

Example:
  signtrail normalize --vendor taktikal activity.json --json
  curl … | signtrail normalize --vendor zapsign - --csv
`,
  log: `signtrail log <vendor> <processId>

Fetches one process's audit trail from the vendor and prints its timeline and state.

Example:
  signtrail log zapsign 0f6ad3c2-6b3a-4b8e-9b2b-2f1c7a8d9e10 --json
`,
  status: `signtrail status <vendor> <processId>

Prints the folded state of one process: process status, each signer's status, anomalies.

Example:
  signtrail status signinghub 201 --json
`,
  activity: `signtrail activity <vendor> --from <date> --to <date> [--filter NAME=VALUE …]

Streams company-wide activity in the window [from, to) from the vendor, one process at a time
(each process's events in time order; --json: all events in time order), with a progress line on a
terminal. Filters are passed to the vendor (Taktikal: User, ProcessKey,
FlowType, FlowKey, Search, StatusFilter).

Example:
  signtrail activity taktikal --from 2024-01-01 --to 2024-02-01 --filter StatusFilter=Completed --ndjson
`,
  sync: `signtrail sync <vendor> [--tenant NAME] [--from DATE] [--database-url URL]

Copies the vendor's activity into the store up to now (no --to), resuming from the last cursor;
shows progress and a summary. The store is embedded PGlite in ./.signtrail/data unless --database-url (or DATABASE_URL)
names a PostgreSQL server.

Example:
  signtrail sync zapsign --from 2024-01-01
`,
  export: `signtrail export [--tenant NAME] [--vendor V] [--process ID] [--from DATE] [--to DATE] [--database-url URL]

Prints stored events in time order (default NDJSON; --json, --csv).

Example:
  signtrail export --vendor taktikal --from 2024-01-01 --csv > audit.csv
`,
  sandbox: `signtrail sandbox [--seed N] [--processes N]

Starts a loopback simulator for every vendor with demo data and prints the environment variables
that point signtrail at them. Stops on Ctrl+C.

Example:
  signtrail sandbox --seed 7 --processes 50
`,
  admin: `signtrail admin tenant create <id> [--name NAME]
signtrail admin key create --tenant T [--name NAME]
signtrail admin key revoke <id>
signtrail admin connection add <vendor> --tenant T
signtrail admin connection list --tenant T [--json | --ndjson]

Manages the server's store (same --database-url / DATABASE_URL / SIGNTRAIL_DATA_DIR as sync).
key create prints the new API key once on stdout; only its hash is kept. connection add takes the
vendor's settings from the SIGNTRAIL_<VENDOR>_* variables or --config file (never from flags), seals
the credentials with SIGNTRAIL_SECRET_KEY and prints the webhook path for the vendor's console.
connection list never prints credentials.

Example:
  signtrail admin key create --tenant acme --name ci
  SIGNTRAIL_ZAPSIGN_API_TOKEN=… signtrail admin connection add zapsign --tenant acme
`,
};
