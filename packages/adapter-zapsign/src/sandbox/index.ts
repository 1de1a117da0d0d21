import {
  randomSecret,
  type Story,
  type StoryOptions,
  sendWebhookDeliveries,
  startSimulator,
  type VendorSimulator,
  type VendorSimulatorModule,
  type VendorSimulatorOptions,
  type WebhookDelivery,
} from '@signtrail/sandbox';
import type { ZapsignLanguage } from '../map-zapsign-event.js';
import { renderZapsignDeliveries, ZAPSIGN_STORY_TYPES } from './render-zapsign.js';
import { authenticate, revealLateStories, type ZapsignAccount, zapsignRoutes } from './zapsign-routes.js';

export { writePdf } from './pdf.js';
export {
  renderAuditTrailPdf,
  renderDocumentDetail,
  renderListedDocument,
  renderSignerLog,
  renderZapsign,
  renderZapsignDeliveries,
  renderZapsignWebhooks,
  signerIdsAsEmails,
  ZAPSIGN_STORY_TYPES,
} from './render-zapsign.js';

/** The vocabulary and time resolution of ZapSign stories (its signer log keeps microseconds). */
export const storyOptions: Partial<StoryOptions> = { types: ZAPSIGN_STORY_TYPES, resolution: 'microsecond' };

/** Options of the ZapSign simulator. */
export interface ZapsignSimulatorOptions extends VendorSimulatorOptions {
  /** Language of the signer-log sentences. Default `pt`. */
  lang?: ZapsignLanguage;
  /** Documents per listing page. Default 25 (ZapSign's). */
  pageSize?: number;
  /** Documents that appear mid-sync, one `shift` fault at a time. */
  lateStories?: Story[];
  /** Doc tokens whose signer log and detail answer 403 with an HTML page. */
  forbiddenDocs?: string[];
  /** Access-token lifetime of the JWT flow. Default one hour. */
  accessTokenTtlMs?: number;
  /** Origin written into `next`/`previous` links (ZapSign writes its own host). Default: the request's. */
  linkOrigin?: string;
  /** Header carrying the webhook secret. Default `x-zapsign-secret`. */
  webhookHeader?: string;
}

/** A running ZapSign simulator; it also sends its stories' webhooks. */
export interface ZapsignSimulator extends VendorSimulator {
  /** Posts the stories' webhook deliveries (real shapes, the secret header set) to `url`, in order. */
  sendWebhooks(url: string, options?: { stories?: Story[] }): Promise<WebhookDelivery[]>;
  /** Forgets every issued access token, as a server-side revocation would (the next call answers 401). */
  revokeAccessTokens(): void;
}

/** Starts a ZapSign simulator on 127.0.0.1 serving `stories` (sorted oldest first) with fresh credentials. */
export async function startZapsignSimulator(options: ZapsignSimulatorOptions): Promise<ZapsignSimulator> {
  const byCreation = (a: Story, b: Story) => (a.events[0]!.occurredAt < b.events[0]!.occurredAt ? -1 : 1);
  const account: ZapsignAccount = {
    stories: [...options.stories].sort(byCreation),
    lateStories: [...(options.lateStories ?? [])].sort(byCreation),
    lang: options.lang ?? 'pt',
    pageSize: options.pageSize ?? 25,
    apiToken: randomSecret(),
    organizationId: randomSecret(8),
    username: 'owner@company.example',
    password: randomSecret(),
    accessTokenTtlMs: options.accessTokenTtlMs ?? 3_600_000,
    forbiddenDocs: new Set(options.forbiddenDocs ?? []),
    linkOrigin: options.linkOrigin,
    accessTokens: new Map(),
    refreshTokens: new Map(),
  };
  const webhookSecret = randomSecret();
  const webhookHeader = options.webhookHeader ?? 'x-zapsign-secret';
  const simulator = await startSimulator({
    vendor: 'zapsign',
    routes: zapsignRoutes(account),
    authenticate: (request) => authenticate(account, request),
    faults: options.faults,
    onShift: (count) => revealLateStories(account, count),
    port: options.port,
  });

  const secret = { header: webhookHeader, value: webhookSecret };
  function* deliveries(stories: Story[]) {
    for (const story of stories) yield* renderZapsignDeliveries(story, account.lang, secret);
  }

  return {
    ...simulator,
    credentials: {
      apiToken: account.apiToken,
      organizationId: account.organizationId,
      username: account.username,
      password: account.password,
      webhookSecret,
    },
    env: {
      SIGNTRAIL_ZAPSIGN_BASE_URL: simulator.baseUrl,
      SIGNTRAIL_ZAPSIGN_API_TOKEN: account.apiToken,
      SIGNTRAIL_ZAPSIGN_WEBHOOK_SECRET: webhookSecret,
    },
    sendWebhooks: (url, { stories = account.stories } = {}) =>
      sendWebhookDeliveries(url, deliveries(stories)),
    revokeAccessTokens: () => account.accessTokens.clear(),
  };
}

/** What `signtrail-sandbox` discovers: the ZapSign simulator module. */
export const simulator: VendorSimulatorModule = {
  vendor: 'zapsign',
  storyOptions,
  start: startZapsignSimulator,
};
