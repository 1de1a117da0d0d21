import type { EventType, NormalizedEvent } from '@signtrail/core';
import { Random, type RenderedWebhook, type Story, type StoryPerson } from '@signtrail/sandbox';
import { actorKindOf, concernsSigner, ruleFor, type ZapsignLanguage } from '../map-zapsign-event.js';
import type { DocumentDetail, DocumentLog, ListedDocument, SignerLogEntry } from '../zapsign-api.js';
import { writePdf } from './pdf.js';

/**
 * What ZapSign can express, so stories hold nothing else: no separate "sent" step (documents go out on
 * creation), no approver role, no delivery receipts, and a refusal is the signer's (the process follows).
 */
export const ZAPSIGN_STORY_TYPES = [
  'process.created',
  'process.updated',
  'process.completed',
  'process.cancelled',
  'process.expired',
  'process.deleted',
  'signer.added',
  'signer.updated',
  'signer.removed',
  'signer.invited',
  'signer.reminded',
  'signer.viewed',
  'signer.read_confirmed',
  'signer.identity_verified',
  'signer.identity_failed',
  'signer.consented',
  'signer.signed',
  'signer.declined',
  'notification.failed',
  'document.added',
  'document.downloaded',
  'other',
] as const satisfies readonly EventType[];

const BY: Record<ZapsignLanguage, string> = { pt: 'por', es: 'por', en: 'by' };
type Describe = (user: string) => string;
/** Descriptions as the documentation examples word them; other entries read "<sentence> por <e-mail>". */
const DESCRIPTIONS: Partial<Record<EventType, Record<ZapsignLanguage, Describe>>> = {
  'process.created': {
    pt: (user) => `O documento foi criado por ${user} via web`,
    es: (user) => `El documento fue creado por ${user} via web`,
    en: (user) => `The document was created by ${user} via web`,
  },
  'signer.read_confirmed': {
    pt: (user) => `Confirmação de leitura de ${user}`,
    es: (user) => `Confirmación de lectura de ${user}`,
    en: (user) => `Reading confirmation by ${user}`,
  },
  'signer.identity_verified': {
    pt: (user) =>
      `Validação do rosto de ${user} com a foto do documento de identidade (anexo no relatório de assinaturas)`,
    es: (user) =>
      `Validación del rostro de ${user} con la foto del documento de identidad (anexo en el infome de firmas)`,
    en: (user) =>
      `Validation of the face of ${user} against the identity document photo (attached to the signature report)`,
  },
  'signer.consented': {
    pt: (user) =>
      `${user} concordou com o processamento de dados pessoais de acordo com a Política de Privacidade`,
    es: (user) =>
      `${user} aceptó el procesamiento de datos personales de acuerdo con la Política de Privacidad`,
    en: (user) => `${user} agreed to the processing of personal data under the Privacy Policy`,
  },
};
const LANG_CODE: Record<ZapsignLanguage, string> = { pt: 'pt-br', es: 'es', en: 'en' };
const PDF_TITLE: Record<ZapsignLanguage, string> = {
  pt: 'Histórico de atividades do documento',
  es: 'Historial de actividad del documento',
  en: 'Document audit trail',
};

/**
 * A story's signer log as `GET /api/v1/docs/signer-log/{token}` answers it: one localized entry per event,
 * `user` = the e-mail of the signer concerned (the owner's for owner actions, empty for ZapSign's own),
 * in a shuffled but stable order, like the real endpoint's unsorted answer.
 */
export function renderSignerLog(
  events: readonly NormalizedEvent[],
  lang: ZapsignLanguage = 'pt',
): SignerLogEntry[] {
  const emails = signerEmails(events);
  const owner = events.find((event) => event.type === 'process.created')?.actor.email ?? '';
  const entries = events.map((event): SignerLogEntry => {
    const sentence = event.type === 'other' ? event.vendorEvent.type : sentenceOf(event, lang);
    const user = userOf(event, emails, owner);
    return {
      time: `${event.occurredAt.slice(0, 10)} ${event.occurredAt.slice(11, 26)}+00:00`,
      user,
      event: sentence,
      description: descriptionOf(event.type, sentence, user, lang),
    };
  });
  return shuffled(entries, events[0]?.processId ?? '');
}

/** A story's document with its signer log: what `normalize` takes (the round trip's `render`). */
export function renderZapsign(events: readonly NormalizedEvent[], lang: ZapsignLanguage = 'pt'): DocumentLog {
  return { token: events[0]?.processId ?? '', signer_log: renderSignerLog(events, lang) };
}

/**
 * For the round-trip projection: ZapSign names signers by e-mail, so story events get their signer's e-mail
 * as `signerId` (compose with core's `storyProjection`); adapter events already carry e-mails and pass as is.
 */
export function signerIdsAsEmails(stories: readonly Story[]): (event: NormalizedEvent) => NormalizedEvent {
  const emails = new Map(
    stories.flatMap((story) => story.signers.map((p) => [p.signerId, p.email] as const)),
  );
  return (event) => {
    const email = event.signerId === undefined ? undefined : emails.get(event.signerId);
    return email === undefined ? event : { ...event, signerId: email };
  };
}

/** A story's entry in `GET /api/v1/docs/` (English status words, as the listing gives them). */
export function renderListedDocument(story: Story, openId: number): ListedDocument {
  return {
    open_id: openId,
    token: story.processId,
    status: documentStatus(story, 'en'),
    name: story.fileName,
    original_file: fileUrl(story, 'original'),
    signed_file: story.outcome === 'completed' ? fileUrl(story, 'signed') : null,
    created_at: story.events[0]!.occurredAt,
    last_update_at: story.events.at(-1)!.occurredAt,
  };
}

/**
 * A story's document as `GET /api/v1/docs/{doc_token}/` answers it: the listing's fields plus `deleted`,
 * `deleted_at`, `rejected_reason`, `created_by` and the signers with their final status (English words, as
 * the documentation's example gives them).
 */
export function renderDocumentDetail(story: Story, openId: number): DocumentDetail {
  const deletion = story.events.find((event) => event.type === 'process.deleted');
  const refusal = story.events.find((e) => e.type === 'signer.declined' || e.type === 'process.cancelled');
  return {
    ...renderListedDocument(story, openId),
    rejected_reason: refusal?.data.reason ?? null,
    deleted: deletion !== undefined,
    deleted_at: deletion?.occurredAt ?? null,
    created_by: { email: story.owner.email },
    signers: story.signers.map((person) => detailSigner(story, person)),
  };
}

/** A signer of the document detail: its status word, views and signature time, from the story. */
function detailSigner(story: Story, person: StoryPerson): Record<string, unknown> {
  const own = story.events.filter((event) => event.signerId === person.signerId);
  const views = own.filter((event) => event.type === 'signer.viewed');
  const signed = own.find((event) => event.type === 'signer.signed' || event.type === 'signer.approved');
  const refused = own.some((event) => event.type === 'signer.declined');
  const words = WORDS.en.signer;
  const status = signed
    ? words.signed
    : refused
      ? words.refused
      : views.length > 0
        ? words.opened
        : words.new;
  return {
    token: person.signerId,
    status,
    name: person.name,
    email: person.email,
    times_viewed: views.length,
    last_view_at: views.at(-1)?.occurredAt ?? null,
    signed_at: signed?.occurredAt ?? null,
  };
}

/** The PDF audit trail of a story: a real PDF, one line per entry in time order. */
export function renderAuditTrailPdf(story: Story, lang: ZapsignLanguage = 'pt'): Uint8Array {
  const entries = renderSignerLog(story.events, lang).sort((a, b) => (a.time < b.time ? -1 : 1));
  const lines = [
    `${story.fileName} - ${story.processId}`,
    '',
    ...entries.map((entry) => `${entry.time}  ${entry.event}${entry.user ? `  ${entry.user}` : ''}`),
  ];
  return writePdf(PDF_TITLE[lang], lines);
}

interface Words {
  pending: string;
  signed: string;
  refused: string;
  trash?: string;
  signer: { new: string; opened: string; signed: string; refused: string };
}

const WORDS: Record<'en' | 'pt', Words> = {
  en: {
    pending: 'pending',
    signed: 'signed',
    refused: 'refused',
    signer: { new: 'new', opened: 'link-opened', signed: 'signed', refused: 'refused' },
  },
  pt: {
    pending: 'em-curso',
    signed: 'assinado',
    refused: 'recusado',
    trash: 'lixeira',
    signer: { new: 'novo', opened: 'abriu-link', signed: 'assinou', refused: 'recusou' },
  },
};

function documentStatus(story: Story, language: 'en' | 'pt'): string {
  const words = WORDS[language];
  if (story.deleted && words.trash) return words.trash;
  if (story.outcome === 'completed') return words.signed;
  return story.outcome === 'declined' || story.outcome === 'cancelled' ? words.refused : words.pending;
}

interface SignerState {
  status: string;
  times_viewed: number;
  last_view_at: string | null;
  signed_at: string | null;
}

/**
 * A story's webhook deliveries in ZapSign's real shapes and with its observed quirks: `doc_viewed` fires
 * three identical times; a refusal sends `doc_refused` and then `doc_signed` with document status refused;
 * a company cancel sends only `doc_signed` with document status refused; the `doc_signed` of the last
 * signature carries the finished document. Portuguese accounts get Portuguese status words.
 */
export function renderZapsignWebhooks(story: Story, lang: ZapsignLanguage = 'pt'): Record<string, unknown>[] {
  return zapsignWebhooks(story, lang).map((delivery) => delivery.body);
}

/**
 * A story's webhooks ready to send to `url`'s receiver: the bodies of `renderZapsignWebhooks`, the secret in
 * the account's custom header, and a `Date` header of the happening's time, as if sent when it happened
 * (bodies without a time of their own, like `email_bounce`, are dated by it).
 */
export function renderZapsignDeliveries(
  story: Story,
  lang: ZapsignLanguage,
  secret: { header: string; value: string },
): RenderedWebhook[] {
  return zapsignWebhooks(story, lang).map(({ body, at }) => ({
    headers: {
      'content-type': 'application/json',
      date: new Date(at).toUTCString(),
      [secret.header]: secret.value,
    },
    body: JSON.stringify(body),
    eventType: String(body.event_type),
    processId: story.processId,
  }));
}

function zapsignWebhooks(
  story: Story,
  lang: ZapsignLanguage,
): { body: Record<string, unknown>; at: string }[] {
  const words = WORDS[lang === 'pt' ? 'pt' : 'en'];
  const people = new Map(story.signers.map((person) => [person.signerId, person]));
  const states = new Map<string, SignerState>(
    story.signers.map((p) => [
      p.signerId,
      { status: words.signer.new, times_viewed: 0, last_view_at: null, signed_at: null },
    ]),
  );
  const createdAt = story.events[0]!.occurredAt;
  const document = {
    status: words.pending,
    last_update_at: createdAt,
    rejected_reason: null as string | null,
    deleted_at: null as string | null,
    signed_file: null as string | null,
  };
  const signerObject = (person: StoryPerson) => ({
    external_id: '',
    sign_url: `https://app.zapsign.com.br/verificar/${person.signerId}`,
    token: person.signerId,
    name: person.name,
    email: person.email,
    phone_country: person.phone.slice(1, 4),
    phone_number: person.phone.slice(4),
    auth_mode: 'assinaturaTela',
    ...states.get(person.signerId)!,
  });
  const snapshot = (eventType: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    event_type: eventType,
    sandbox: true,
    external_id: '',
    token: story.processId,
    name: story.fileName,
    folder_path: '/',
    lang: LANG_CODE[lang],
    original_file: fileUrl(story, 'original'),
    created_through: 'web',
    deleted: document.deleted_at !== null,
    created_at: createdAt,
    created_by: { email: story.owner.email },
    ...document,
    signers: story.signers.map(signerObject),
    ...extra,
  });

  const deliveries: { body: Record<string, unknown>; at: string }[] = [];
  let lastSignature: Record<string, unknown> | undefined;
  for (const event of story.events) {
    const at = event.occurredAt;
    const push = (...bodies: Record<string, unknown>[]) => {
      for (const body of bodies) deliveries.push({ body, at });
    };
    document.last_update_at = at;
    const person = event.signerId === undefined ? undefined : people.get(event.signerId);
    const state = event.signerId === undefined ? undefined : states.get(event.signerId);
    if (event.type === 'process.created') {
      push(snapshot('doc_created'));
    } else if (event.type === 'signer.added' && person) {
      push(snapshot('created_signer', { created_signer: signerObject(person) }));
    } else if (event.type === 'signer.invited' && person) {
      const notification = {
        notification_type: 'signature_request',
        notification_channel: event.channel,
        sent_at: at,
      };
      push(
        snapshot('signature_notification_sent', {
          created_signer: { ...signerObject(person), ...notification },
        }),
      );
    } else if (event.type === 'signer.viewed' && person && state) {
      Object.assign(state, {
        status: words.signer.opened,
        times_viewed: state.times_viewed + 1,
        last_view_at: at,
      });
      const viewed = snapshot('doc_viewed', { signer_who_viewed: signerObject(person) });
      push(viewed, viewed, viewed);
    } else if (event.type === 'signer.read_confirmed' && person) {
      push(snapshot('doc_read_confirmation', { signer_who_read: signerObject(person) }));
    } else if (event.type === 'signer.identity_failed' && person) {
      const failure = {
        max_attempts: 3,
        attempts_used: 3,
        authentication_failure_reason: 'facial_recognition',
      };
      push(
        snapshot('signer_authentication_failed', {
          unauthenticated_signer: { ...signerObject(person), ...failure },
        }),
      );
    } else if (event.type === 'signer.signed' && person && state) {
      Object.assign(state, { status: words.signer.signed, signed_at: at });
      lastSignature = snapshot('doc_signed', { signer_who_signed: signerObject(person) });
      push(lastSignature);
    } else if (event.type === 'process.completed' && lastSignature) {
      Object.assign(document, { status: words.signed, signed_file: fileUrl(story, 'signed') });
      Object.assign(lastSignature, {
        status: words.signed,
        last_update_at: at,
        signed_file: document.signed_file,
      });
    } else if (event.type === 'signer.declined' && person && state) {
      state.status = words.signer.refused;
      Object.assign(document, { status: words.refused, rejected_reason: event.data.reason ?? null });
      const refused = snapshot('doc_refused');
      push(refused, {
        ...refused,
        event_type: 'doc_signed',
        signer_who_signed: signerObject(person),
      });
    } else if (event.type === 'process.cancelled') {
      Object.assign(document, { status: words.refused, rejected_reason: event.data.reason ?? null });
      push(snapshot('doc_signed', { signer_who_signed: null }));
    } else if (event.type === 'process.expired') {
      push(snapshot('doc_expired', { expiration_date: at }));
    } else if (event.type === 'process.deleted') {
      Object.assign(document, { deleted_at: at, status: words.trash ?? document.status });
      push(snapshot('doc_deleted'));
    } else if (event.type === 'notification.failed' && event.channel === 'email' && person) {
      push({
        email: person.email,
        token: story.processId,
        type: 'link_email',
        status: 'dropped',
        status_code: null,
        error:
          'ZapSign did not send the message to this email address because there was a previous delivery failure to this same email.',
        delivered: false,
        event_type: 'email_bounce',
      });
    }
  }
  return deliveries;
}

function fileUrl(story: Story, kind: 'original' | 'signed'): string {
  return `https://zapsign.s3.amazonaws.com/sandbox/${story.processId}/${kind}.pdf`;
}

/** Story signer ids → e-mails, from the events alone (a signer's addition carries the e-mail). */
function signerEmails(events: readonly NormalizedEvent[]): Map<string, string> {
  const emails = new Map<string, string>();
  for (const event of events) {
    const email = event.data.signerEmail ?? (event.actor.kind === 'signer' ? event.actor.email : undefined);
    if (event.signerId !== undefined && email !== undefined) emails.set(event.signerId, email);
  }
  return emails;
}

function sentenceOf(event: NormalizedEvent, lang: ZapsignLanguage): string {
  const rule = ruleFor(event.type, event.channel, event.data.verification);
  if (!rule) throw new Error(`ZapSign has no sentence for ${event.type}`);
  return rule[lang][0]!;
}

function descriptionOf(type: EventType, sentence: string, user: string, lang: ZapsignLanguage): string {
  if (!user) return sentence;
  return DESCRIPTIONS[type]?.[lang](user) ?? `${sentence} ${BY[lang]} ${user}`;
}

function userOf(event: NormalizedEvent, emails: Map<string, string>, owner: string): string {
  if (event.type === 'other') return '';
  if (concernsSigner(event.type, event.data) && event.signerId !== undefined) {
    return emails.get(event.signerId) ?? event.signerId;
  }
  return actorKindOf(event.type) === 'user' ? owner : '';
}

/** Fisher–Yates with a PRNG seeded from the doc token: unsorted, but the same every time. */
function shuffled<T>(items: T[], seedText: string): T[] {
  let seed = 0x811c9dc5;
  for (let i = 0; i < seedText.length; i += 1) seed = Math.imul(seed ^ seedText.charCodeAt(i), 0x01000193);
  const random = new Random(seed);
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
