import type { NormalizedEvent } from '@signtrail/core';
import {
  randomSecret,
  type SimRequest,
  type SimResponse,
  type SimRoute,
  type Story,
  sendWebhookDeliveries,
  startSimulator,
  type VendorSimulator,
  type VendorSimulatorOptions,
  type WebhookDelivery,
} from '@signtrail/sandbox';
import { DOCUMENT_STATUSES } from '../signinghub-options.js';
import {
  type RenderedLog,
  renderLogDetails,
  renderPackageSummary,
  renderSigninghubCallbacks,
  renderSigninghubLog,
} from './render-signinghub.js';

/** Options of the SigningHub simulator. */
export interface SigninghubSimulatorOptions extends VendorSimulatorOptions {
  /** Zone the simulated account renders its zone-less times in. Default `UTC`. */
  timeZone?: string;
  /** `expires_in` the token endpoint announces, seconds. Default 86399 (as SigningHub). */
  tokenExpiresIn?: number;
  /** How long a token really works, ms (shorter than announced: revoked early). Default: as announced. */
  tokenLifetimeMs?: number;
  /** Packages shared with the account by another user: listed, but reading their log is 403 `Document does not belong to user`. */
  foreignPackageIds?: string[];
  /** Packages whose log read fails with SigningHub's documented 500 body. */
  failingPackageIds?: string[];
  /** False: tokens obtained with a `scope` lack the integration privilege (403 `You are not allowed…`). */
  privileged?: boolean;
  /** How `sendWebhooks` calls back: `post` (the v3 callback, default) or the legacy GET `redirect`. */
  callbacks?: 'post' | 'redirect';
  /**
   * The listing-shrink fault (SigningHub's counterpart of the sandbox's `shift`): before answering the
   * listing requests numbered `hits` (1-based, `packages` route), the first `count` packages that request
   * lists are deleted (listing and log), so later packages move up onto pages already read.
   */
  shrink?: { hits: number[]; count: number };
  /**
   * The listing-reorder fault: before answering the listing requests numbered `hits`, the last `count`
   * packages that request's listing holds move to its top, as packages just modified would in a listing
   * sorted by modification (SigningHub does not document its order). The total does not change.
   */
  reorder?: { hits: number[]; count: number };
}

/** A running SigningHub simulator. */
export interface SigninghubSimulator extends VendorSimulator {
  /** OAuth client and user the simulator accepts, and the callbacks' shared secret (generated per server). */
  credentials: {
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
    webhookSecret: string;
  };
  /** Calls `url` back for the stories' happenings (the secret in `x-signtrail-secret`), in order. */
  sendWebhooks(url: string, options?: { stories?: Story[] }): Promise<WebhookDelivery[]>;
  /** Disables the account: new tokens are refused (OAuth body), existing ones get 403 `Account is disabled`. */
  setAccountDisabled(disabled: boolean): void;
  /** Package ids the `shift` fault inserted (outside every story). */
  readonly insertedPackageIds: readonly string[];
  /** Package ids the `shrink` fault deleted, in order. */
  readonly deletedPackageIds: readonly string[];
}

const message = (status: number, text: string): SimResponse => ({ status, json: { Message: text } });
/** Media ranges that admit SigningHub's `application/json` answers. */
const JSON_ACCEPT = /(^|,)\s*(application\/json|application\/\*|\*\/\*)\s*(;|,|$)/i;

/**
 * SigningHub documents `Accept: application/json` on every call; the simulator refuses a request that
 * does not admit JSON (406, its own wording: SigningHub documents no body for it), so a client that
 * forgets the header fails in tests.
 */
function acceptingJson(route: SimRoute): SimRoute {
  return {
    ...route,
    handle: (request) =>
      JSON_ACCEPT.test(request.headers.accept ?? '')
        ? route.handle(request)
        : message(406, 'Only application/json responses are available'),
  };
}
const oauthError = (status: number, error: string, description: string): SimResponse => ({
  status,
  json: { error, error_description: description },
});

/** Starts the SigningHub v3 simulator on 127.0.0.1 serving `stories` as one account's packages. */
export async function startSigninghubSimulator(
  options: SigninghubSimulatorOptions,
): Promise<SigninghubSimulator> {
  const timeZone = options.timeZone ?? 'UTC';
  const expiresIn = options.tokenExpiresIn ?? 86_399;
  const lifetimeMs = options.tokenLifetimeMs ?? expiresIn * 1000;
  const credentials = {
    clientId: 'signtrail-sandbox',
    clientSecret: randomSecret(),
    username: 'admin@company.example',
    password: randomSecret(),
    webhookSecret: randomSecret(),
  };
  const logs = new Map<string, RenderedLog>();
  const listing: ReturnType<typeof renderPackageSummary>[] = [];
  for (const story of options.stories) {
    const log = renderSigninghubLog(story.events, { timeZone });
    logs.set(String(log.package_id), log);
    listing.push(renderPackageSummary(log));
  }
  // Packages shared with the account by another user: listed, but their log is the owner's (403).
  const foreign = new Set(options.foreignPackageIds ?? []);
  for (const packageId of foreign) {
    listing.push({
      package_id: Number(packageId),
      package_name: `shared-${packageId}.pdf`,
      package_owner: 'other.owner@elsewhere.example',
      owner_name: 'Other Owner',
      package_status: 'PENDING',
      folder: 'INBOX',
      unread: true,
      uploaded_on: '2024-01-01T00:00:00',
      modified_on: '2024-01-01T00:00:00',
    });
  }
  const failing = new Set(options.failingPackageIds ?? []);
  const tokens = new Map<string, { expiresAt: number; scoped: boolean }>();
  const inserted: string[] = [];
  const deleted: string[] = [];
  let accountDisabled = false;

  /** The `shift` fault: new packages (uploaded now, outside every story) land at the top of the listing. */
  function insertPackages(count: number): void {
    for (let n = 0; n < count; n += 1) {
      const packageId = String(900_000_000 + inserted.length);
      inserted.push(packageId);
      const owner = { kind: 'user' as const, email: 'late.owner@company.example', name: 'Late Owner' };
      const upload: NormalizedEvent = {
        id: packageId,
        vendor: 'sandbox',
        processId: packageId,
        type: 'document.added',
        occurredAt: `${new Date().toISOString().slice(0, 19)}.000000Z`,
        seq: 0,
        actor: owner,
        data: { fileName: `late-${packageId}.pdf` },
        vendorEvent: { type: 'document.added' },
        origin: 'log',
        raw: {},
      };
      const log = renderSigninghubLog([upload], { timeZone });
      logs.set(packageId, log);
      listing.unshift(renderPackageSummary(log));
    }
  }

  /** The `reorder` fault: the last `count` packages of `matching` move to the top of the listing. */
  function raisePackages(matching: typeof listing, count: number): void {
    for (const summary of matching.slice(-count)) {
      listing.splice(listing.indexOf(summary), 1);
      listing.unshift(summary);
    }
  }

  /** The `shrink` fault: the first `count` packages of `matching` are deleted, as a user deleting them. */
  function deletePackages(matching: typeof listing, count: number): void {
    for (const summary of matching.slice(0, count)) {
      const packageId = String(summary.package_id);
      listing.splice(listing.indexOf(summary), 1);
      logs.delete(packageId);
      deleted.push(packageId);
    }
  }

  function authenticate(request: SimRequest): SimResponse | undefined {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return message(401, 'User authentication required');
    const grant = tokens.get(header.slice('Bearer '.length));
    if (!grant || Date.now() >= grant.expiresAt) return message(401, 'Request authorization denied');
    if (accountDisabled) return message(403, 'Account is disabled');
    if (grant.scoped && options.privileged === false) {
      return message(403, 'You are not allowed to perform the requested operation');
    }
    return undefined;
  }

  function issueToken(request: SimRequest): SimResponse {
    const form = new URLSearchParams(request.body);
    const grantType = form.get('grant_type');
    if (grantType !== 'password' && grantType !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported');
    }
    if (
      form.get('client_id') !== credentials.clientId ||
      form.get('client_secret') !== credentials.clientSecret
    ) {
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    if (
      grantType === 'password' &&
      (form.get('username') !== credentials.username || form.get('password') !== credentials.password)
    ) {
      return oauthError(400, 'invalid_grant', 'The user name or password is incorrect');
    }
    if (accountDisabled) return oauthError(400, 'account_disabled', 'Account is disabled');
    const token = randomSecret(24);
    tokens.set(token, { expiresAt: Date.now() + lifetimeMs, scoped: form.has('scope') });
    return {
      json: {
        access_token: token,
        token_type: 'bearer',
        expires_in: expiresIn,
        refresh_token: randomSecret(),
      },
    };
  }

  /** The package a request names, or SigningHub's documented refusal. */
  function packageOf(request: SimRequest): RenderedLog | SimResponse {
    const packageId = request.params.packageId ?? '';
    if (foreign.has(packageId)) return message(403, 'Document does not belong to user');
    if (failing.has(packageId)) {
      return message(500, 'An internal server error occurred while processing the request');
    }
    return logs.get(packageId) ?? message(404, 'Document not found');
  }

  const routes: SimRoute[] = [
    { name: 'authenticate', method: 'POST', path: '/authenticate', auth: false, handle: issueToken },
    {
      name: 'log',
      method: 'GET',
      path: '/v3/packages/:packageId/log',
      handle: (request) => {
        const log = packageOf(request);
        return 'actions' in log ? { json: log } : log;
      },
    },
    {
      name: 'details',
      method: 'GET',
      path: '/v3/packages/:packageId/log/:logId/details',
      handle: (request) => {
        const log = packageOf(request);
        if (!('actions' in log)) return log;
        const action = log.actions.find((a) => String(a.log_id) === request.params.logId);
        return action ? { json: renderLogDetails(log, action) } : message(404, 'Document not found');
      },
    },
    {
      name: 'packages',
      method: 'GET',
      path: '/v3/packages/:documentStatus/:pageNo/:records',
      handle: (request) => {
        const status = request.params.documentStatus ?? '';
        const page = Number(request.params.pageNo);
        const records = Number(request.params.records);
        if (!(DOCUMENT_STATUSES as readonly string[]).includes(status))
          return message(400, 'Invalid document status');
        if (!Number.isInteger(page) || page < 1 || !Number.isInteger(records) || records < 1) {
          return message(400, 'Invalid page number or records per page');
        }
        const listed = (summary: (typeof listing)[number]) =>
          status === 'ALL' || summary.package_status === status;
        if (options.shrink?.hits.includes(request.routeHit)) {
          deletePackages(listing.filter(listed), options.shrink.count);
        }
        if (options.reorder?.hits.includes(request.routeHit)) {
          raisePackages(listing.filter(listed), options.reorder.count);
        }
        const matching = listing.filter(listed);
        const pageItems = matching.slice((page - 1) * records, page * records);
        return { json: pageItems, headers: { 'x-total-records': String(matching.length) } };
      },
    },
  ];

  function* callbacks(stories: Story[]) {
    const style = options.callbacks;
    for (const story of stories) {
      yield* renderSigninghubCallbacks(story, { secret: credentials.webhookSecret, style, timeZone });
    }
  }

  const simulator = await startSimulator({
    vendor: 'signinghub',
    routes: routes.map(acceptingJson),
    authenticate,
    faults: options.faults,
    onShift: insertPackages,
    port: options.port,
  });
  return {
    ...simulator,
    credentials,
    env: {
      SIGNTRAIL_SIGNINGHUB_BASE_URL: simulator.baseUrl,
      SIGNTRAIL_SIGNINGHUB_CLIENT_ID: credentials.clientId,
      SIGNTRAIL_SIGNINGHUB_CLIENT_SECRET: credentials.clientSecret,
      SIGNTRAIL_SIGNINGHUB_USERNAME: credentials.username,
      SIGNTRAIL_SIGNINGHUB_PASSWORD: credentials.password,
      SIGNTRAIL_SIGNINGHUB_WEBHOOK_SECRET: credentials.webhookSecret,
    },
    sendWebhooks: (url, { stories = options.stories } = {}) => sendWebhookDeliveries(url, callbacks(stories)),
    setAccountDisabled(disabled) {
      accountDisabled = disabled;
    },
    insertedPackageIds: inserted,
    deletedPackageIds: deleted,
  };
}
