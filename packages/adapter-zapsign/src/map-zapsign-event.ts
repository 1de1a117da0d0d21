import type { Actor, EventData, EventType, ProcessStatus, SignerStatus } from '@signtrail/core';

/** Languages ZapSign writes its signer-log sentences in. */
export type ZapsignLanguage = 'pt' | 'es' | 'en';

/** One happening ZapSign logs, with the sentences it writes for it per language (the first is canonical). */
export interface SentenceRule {
  type: EventType;
  pt: readonly string[];
  es: readonly string[];
  en: readonly string[];
  channel?: string;
  data?: EventData;
}

const FACIAL: EventData = { verification: 'facial_recognition' };
const IDENTITY_DOCUMENT: EventData = { verification: 'identity_document' };
const BOUNCE: EventData = { recipientRole: 'signer', deliveryStatus: 'bounced' };
const DELIVERED: EventData = { recipientRole: 'signer', deliveryStatus: 'delivered' };

/**
 * The one mapping table: ZapSign's localized `event` sentences (Portuguese, Spanish, English) → taxonomy.
 * Matching ignores accents, case, spacing and a trailing full stop, and reads "document" and "doc" as
 * "documento", so mixed and short forms (`Documento created`, `Doc firmado`) match too. A new sentence is one
 * string in a row.
 */
export const SENTENCE_RULES: readonly SentenceRule[] = [
  { type: 'process.created', pt: ['Documento criado'], es: ['Documento creado'], en: ['Document created'] },
  {
    type: 'process.updated',
    pt: ['Documento atualizado', 'Documento editado'],
    es: ['Documento actualizado', 'Documento editado'],
    en: ['Document updated', 'Document edited'],
  },
  {
    type: 'process.completed',
    pt: ['Documento finalizado', 'Documento concluído'],
    es: ['Documento finalizado', 'Documento completado'],
    en: ['Document completed', 'Document finished'],
  },
  {
    type: 'process.cancelled',
    pt: ['Documento cancelado'],
    es: ['Documento cancelado'],
    en: ['Document cancelled', 'Document canceled'],
  },
  {
    type: 'process.expired',
    pt: ['Documento expirado', 'Prazo de assinatura expirado'],
    es: ['Documento expirado', 'Plazo de firma vencido'],
    en: ['Document expired', 'Signing deadline expired'],
  },
  {
    type: 'process.deleted',
    pt: ['Documento excluído', 'Documento movido para a lixeira'],
    es: ['Documento eliminado', 'Documento movido a la papelera'],
    en: ['Document deleted', 'Document moved to trash'],
  },
  {
    type: 'document.added',
    pt: ['Anexo adicionado', 'Documento extra adicionado'],
    es: ['Anexo agregado', 'Documento extra agregado'],
    en: ['Attachment added', 'Extra document added'],
  },
  {
    type: 'document.downloaded',
    pt: ['Documento baixado'],
    es: ['Documento descargado'],
    en: ['Document downloaded'],
  },
  {
    type: 'signer.added',
    pt: ['Signatário criado', 'Signatário adicionado'],
    es: ['Firmante creado', 'Firmante agregado'],
    en: ['Signer created', 'Signer added', 'Created signer'],
  },
  {
    type: 'signer.updated',
    pt: ['Signatário atualizado'],
    es: ['Firmante actualizado'],
    en: ['Signer updated'],
  },
  {
    type: 'signer.removed',
    pt: ['Signatário excluído', 'Signatário removido'],
    es: ['Firmante eliminado'],
    en: ['Signer deleted', 'Signer removed'],
  },
  {
    type: 'signer.invited',
    pt: ['Solicitação de assinatura enviada'],
    es: ['Solicitud de firma enviada'],
    en: ['Signature request sent', 'Signature request send'],
  },
  {
    type: 'signer.invited',
    channel: 'email',
    pt: ['Solicitação de assinatura enviada por email', 'Email enviado'],
    es: ['Solicitud de firma enviada por correo', 'Correo enviado'],
    en: ['Signature request sent by email', 'Email sent'],
  },
  {
    type: 'signer.invited',
    channel: 'sms',
    pt: ['Solicitação de assinatura enviada por SMS', 'SMS enviado'],
    es: ['Solicitud de firma enviada por SMS', 'SMS enviado'],
    en: ['Signature request sent by SMS', 'SMS sent'],
  },
  {
    type: 'signer.invited',
    channel: 'whatsapp',
    pt: ['Solicitação de assinatura enviada por WhatsApp', 'WhatsApp enviado'],
    es: ['Solicitud de firma enviada por WhatsApp', 'WhatsApp enviado'],
    en: ['Signature request sent by WhatsApp', 'WhatsApp sent'],
  },
  {
    type: 'signer.reminded',
    pt: ['Lembrete enviado', 'Lembrete de assinatura enviado'],
    es: ['Recordatorio enviado', 'Recordatorio de firma enviado'],
    en: ['Reminder sent', 'Signature reminder sent'],
  },
  {
    type: 'signer.viewed',
    pt: ['Documento visualizado'],
    es: ['Documento visualizado', 'Documento visto'],
    en: ['Document viewed'],
  },
  {
    type: 'signer.read_confirmed',
    pt: ['Confirmação de leitura'],
    es: ['Confirmación de lectura', 'Confirmación lectura'],
    en: ['Reading confirmation', 'Read confirmation'],
  },
  {
    type: 'signer.identity_verified',
    data: FACIAL,
    pt: ['Validação reconhecimento facial', 'Validação de reconhecimento facial'],
    es: ['Validación de reconocimiento facial', 'Validación reconocimiento facial'],
    en: ['Facial recognition validation', 'Facial recognition validated'],
  },
  {
    type: 'signer.identity_verified',
    data: IDENTITY_DOCUMENT,
    pt: ['Validação de identidade', 'Validação do documento de identidade'],
    es: ['Validación de identidad', 'Validación del documento de identidad'],
    en: ['Identity validation', 'Identity document validation'],
  },
  {
    type: 'signer.identity_failed',
    data: FACIAL,
    pt: ['Falha no reconhecimento facial'],
    es: ['Fallo en el reconocimiento facial'],
    en: ['Facial recognition failed'],
  },
  {
    type: 'signer.identity_failed',
    pt: ['Validação falhou', 'Falha na validação de identidade'],
    es: ['Validación fallida', 'Fallo en la validación de identidad'],
    en: ['Failed validation', 'Identity validation failed', 'Authentication failed'],
  },
  {
    type: 'signer.consented',
    pt: ['Aceitação do processamento de dados pessoais'],
    es: ['Aceptación del procesamiento de datos personales'],
    en: ['Acceptance of personal data processing', 'Personal data processing accepted'],
  },
  {
    type: 'signer.signed',
    pt: ['Documento assinado', 'Assinatura'],
    es: ['Documento firmado', 'Firma'],
    en: ['Document signed', 'Signature'],
  },
  {
    type: 'signer.declined',
    pt: ['Documento recusado', 'Documento rejeitado', 'Documento reprovado'],
    es: ['Documento rechazado'],
    en: ['Document refused', 'Document rejected'],
  },
  {
    type: 'notification.failed',
    channel: 'email',
    data: BOUNCE,
    pt: ['Falha na entrega do email', 'Email não entregue'],
    es: ['Fallo en la entrega del correo', 'Correo no entregado'],
    en: ['Email delivery failed', 'Email bounce', 'Email not delivered'],
  },
  {
    type: 'notification.failed',
    channel: 'sms',
    data: BOUNCE,
    pt: ['Falha na entrega do SMS'],
    es: ['Fallo en la entrega del SMS'],
    en: ['SMS delivery failed'],
  },
  {
    type: 'notification.failed',
    channel: 'whatsapp',
    data: BOUNCE,
    pt: ['Falha na entrega do WhatsApp'],
    es: ['Fallo en la entrega del WhatsApp'],
    en: ['WhatsApp delivery failed'],
  },
  {
    type: 'notification.delivered',
    channel: 'email',
    data: DELIVERED,
    pt: ['Email entregue'],
    es: ['Correo entregado'],
    en: ['Email delivered'],
  },
  {
    type: 'notification.delivered',
    channel: 'whatsapp',
    data: DELIVERED,
    pt: ['WhatsApp entregue'],
    es: ['WhatsApp entregado'],
    en: ['WhatsApp delivered'],
  },
];

/** What a sentence means: the taxonomy type plus who acts and whether `user` names the signer concerned. */
export interface SentenceMapping {
  type: EventType;
  actorKind: Actor['kind'];
  /** The entry concerns the signer named by its `user` e-mail (that e-mail is then the `signerId`). */
  concernsSigner: boolean;
  channel?: string;
  data?: EventData;
}

// Happenings the signer does themself; the owner's own actions; everything else is ZapSign's machinery.
const SIGNER_ACTS: ReadonlySet<EventType> = new Set<EventType>([
  'signer.viewed',
  'signer.read_confirmed',
  'signer.identity_verified',
  'signer.identity_failed',
  'signer.consented',
  'signer.signed',
  'signer.approved',
  'signer.declined',
]);
const OWNER_ACTS: ReadonlySet<EventType> = new Set<EventType>([
  'process.created',
  'process.updated',
  'process.cancelled',
  'process.deleted',
  'document.added',
  'document.downloaded',
  'signer.updated',
  'signer.removed',
]);

/** Who acts in a happening of this type: the signer, the sending company's user, or ZapSign itself. */
export function actorKindOf(type: EventType): Actor['kind'] {
  if (SIGNER_ACTS.has(type)) return 'signer';
  return OWNER_ACTS.has(type) ? 'user' : 'system';
}

/** True when a happening of this type concerns one signer (signer events and signer notifications). */
export function concernsSigner(type: EventType, data?: EventData): boolean {
  if (type.startsWith('signer.')) return true;
  return type.startsWith('notification.') && (data?.recipientRole ?? 'signer') === 'signer';
}

/**
 * The matching key of a sentence: accents stripped (NFD), lower case, runs of spaces collapsed, a trailing
 * full stop dropped, and "document"/"doc" read as "documento" (ZapSign mixes languages and abbreviates).
 */
export function sentenceKey(sentence: string): string {
  return sentence
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.:;!]+$/, '')
    .replace(/\b(?:document|doc)\b/g, 'documento');
}

function buildTable(): Map<string, SentenceMapping> {
  const table = new Map<string, SentenceMapping>();
  for (const rule of SENTENCE_RULES) {
    const mapping: SentenceMapping = {
      type: rule.type,
      actorKind: actorKindOf(rule.type),
      concernsSigner: concernsSigner(rule.type, rule.data),
    };
    if (rule.channel !== undefined) mapping.channel = rule.channel;
    if (rule.data !== undefined) mapping.data = rule.data;
    for (const sentence of [...rule.pt, ...rule.es, ...rule.en]) table.set(sentenceKey(sentence), mapping);
  }
  return table;
}

const TABLE = buildTable();
// Signer logs repeat a small vocabulary: the key of each distinct sentence is computed once (NFD is costly).
const memo = new Map<string, SentenceMapping | null>();
const MEMO_LIMIT = 10_000;

/** Maps one `event` sentence to its meaning; `undefined` when no rule knows it (then it is `other`). */
export function mapZapsignSentence(sentence: string): SentenceMapping | undefined {
  let mapping = memo.get(sentence);
  if (mapping === undefined) {
    mapping = TABLE.get(sentenceKey(sentence)) ?? null;
    if (memo.size >= MEMO_LIMIT) memo.clear(); // unknown free text must not grow the memo without bound
    memo.set(sentence, mapping);
  }
  return mapping ?? undefined;
}

/** The rule whose canonical sentence renders a happening (the simulator's inverse of `mapZapsignSentence`). */
export function ruleFor(type: EventType, channel?: string, verification?: string): SentenceRule | undefined {
  const candidates = SENTENCE_RULES.filter((rule) => rule.type === type);
  return (
    candidates.find((rule) => rule.channel === channel && rule.data?.verification === verification) ??
    candidates.find((rule) => rule.channel === undefined) ??
    candidates[0]
  );
}

// `lixeira` (trash) says nothing about the signing outcome: it has no hint.
const DOCUMENT_STATUS = new Map<string, ProcessStatus>([
  ['pending', 'in_progress'],
  ['em-curso', 'in_progress'],
  ['signed', 'completed'],
  ['assinado', 'completed'],
  // A company cancel also shows `refused`/`recusado`; the log (or the webhook's signers) tells the two apart.
  ['refused', 'declined'],
  ['recusado', 'declined'],
]);

/** The process status a ZapSign document status word means (English or Portuguese); undefined if none. */
export function documentStatusHint(status: string): ProcessStatus | undefined {
  return DOCUMENT_STATUS.get(sentenceKey(status));
}

/**
 * What a ZapSign signer status word means: a SignTrail signer status, or how the signing ended for that
 * signer without their doing (`expirou`, `cancelado`), which no signer status expresses: the process says it.
 */
export type ZapsignSignerStatus = SignerStatus | 'expired' | 'cancelled';

const SIGNER_STATUS = new Map<string, ZapsignSignerStatus>([
  ['new', 'pending'],
  ['novo', 'pending'],
  ['nao_abriu', 'invited'],
  ['link-opened', 'viewed'],
  ['abriu-link', 'viewed'],
  ['abriu', 'viewed'],
  ['signed', 'signed'],
  ['assinou', 'signed'],
  ['refused', 'declined'],
  ['rejected', 'declined'],
  ['recusou', 'declined'],
  ['rejeitou', 'declined'],
  ['expirou', 'expired'],
  ['cancelado', 'cancelled'],
]);

/** The meaning of a ZapSign signer status word (English or Portuguese); undefined if none. */
export function signerStatusOf(status: string): ZapsignSignerStatus | undefined {
  return SIGNER_STATUS.get(sentenceKey(status));
}
