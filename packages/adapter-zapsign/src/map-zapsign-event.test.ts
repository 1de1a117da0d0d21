import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actorKindOf,
  documentStatusHint,
  mapZapsignSentence,
  ruleFor,
  SENTENCE_RULES,
  sentenceKey,
  signerStatusOf,
} from './map-zapsign-event.js';

describe('mapZapsignSentence', () => {
  it.each([
    ['Documento criado', 'process.created'],
    ['Documento creado', 'process.created'],
    ['Document created', 'process.created'],
    ['Documento created', 'process.created'],
    ['Documento visualizado', 'signer.viewed'],
    ['Confirmação de leitura', 'signer.read_confirmed'],
    ['Confirmación de lectura', 'signer.read_confirmed'],
    ['Validação reconhecimento facial', 'signer.identity_verified'],
    ['Validación de reconocimiento facial', 'signer.identity_verified'],
    ['Aceitação do processamento de dados pessoais', 'signer.consented'],
    ['Documento assinado', 'signer.signed'],
    ['Documento firmado', 'signer.signed'],
    ['Document signed', 'signer.signed'],
    ['Documento recusado', 'signer.declined'],
    ['Documento rechazado', 'signer.declined'],
    ['Document rejected', 'signer.declined'],
    ['Documento excluído', 'process.deleted'],
    ['Documento eliminado', 'process.deleted'],
    ['Documento expirado', 'process.expired'],
    ['Document expired', 'process.expired'],
    ['Documento cancelado', 'process.cancelled'],
    ['Solicitação de assinatura enviada', 'signer.invited'],
    ['Solicitud de firma enviada', 'signer.invited'],
    ['WhatsApp enviado', 'signer.invited'],
    ['Lembrete enviado', 'signer.reminded'],
    ['Recordatorio enviado', 'signer.reminded'],
    ['Email bounce', 'notification.failed'],
    ['Falha na entrega do email', 'notification.failed'],
  ])('%s → %s', (sentence, type) => {
    expect(mapZapsignSentence(sentence)?.type).toBe(type);
  });

  it('ignores accents, case, spacing and a trailing full stop', () => {
    for (const variant of [
      'CONFIRMACAO DE LEITURA',
      '  confirmação   de\tleitura. ',
      'Confirmaçao de Leitura',
    ]) {
      expect(mapZapsignSentence(variant)?.type).toBe('signer.read_confirmed');
    }
  });

  it('reads mixed Portuguese/English sentences about the document', () => {
    expect(mapZapsignSentence('Document assinado')?.type).toBe('signer.signed');
    expect(mapZapsignSentence('Documento signed')?.type).toBe('signer.signed');
    expect(mapZapsignSentence('Documento viewed')?.type).toBe('signer.viewed');
  });

  it.each([
    ['Doc creado', 'process.created'],
    ['Doc eliminado', 'process.deleted'],
    ['Firmante creado', 'signer.added'],
    ['Created signer', 'signer.added'],
    ['Doc visualizado', 'signer.viewed'],
    ['Confirmación lectura', 'signer.read_confirmed'],
    ['Doc firmado', 'signer.signed'],
    ['Doc rechazado', 'signer.declined'],
    ['Doc refused', 'signer.declined'],
    ['Validación Fallida', 'signer.identity_failed'],
    ['Signature request send', 'signer.invited'],
  ])('reads the event names of the documentation index: %s → %s', (sentence, type) => {
    expect(mapZapsignSentence(sentence)?.type).toBe(type);
  });

  it('keeps channel and data hints of the sentence', () => {
    expect(mapZapsignSentence('WhatsApp enviado')).toMatchObject({
      channel: 'whatsapp',
      concernsSigner: true,
    });
    expect(mapZapsignSentence('Validação reconhecimento facial')?.data).toEqual({
      verification: 'facial_recognition',
    });
    expect(mapZapsignSentence('Email bounce')?.data).toEqual({
      recipientRole: 'signer',
      deliveryStatus: 'bounced',
    });
  });

  it('says who acts: the signer, the sending company, or ZapSign', () => {
    expect(mapZapsignSentence('Documento visualizado')?.actorKind).toBe('signer');
    expect(mapZapsignSentence('Documento criado')).toMatchObject({
      actorKind: 'user',
      concernsSigner: false,
    });
    expect(mapZapsignSentence('Email enviado')).toMatchObject({ actorKind: 'system', concernsSigner: true });
    expect(actorKindOf('process.expired')).toBe('system');
  });

  it('leaves an unknown sentence unmapped', () => {
    expect(mapZapsignSentence('Evento misterioso')).toBeUndefined();
    expect(mapZapsignSentence('')).toBeUndefined();
  });

  it('never gives one matching key two meanings', () => {
    const meanings = new Map<string, string>();
    for (const rule of SENTENCE_RULES) {
      const meaning = JSON.stringify([rule.type, rule.channel, rule.data]);
      for (const sentence of [...rule.pt, ...rule.es, ...rule.en]) {
        const key = sentenceKey(sentence);
        expect(meanings.get(key) ?? meaning, `${sentence} (key ${key})`).toBe(meaning);
        meanings.set(key, meaning);
      }
    }
  });

  it('has a sentence in every language for every rule, and renders each rule back to itself', () => {
    for (const rule of SENTENCE_RULES) {
      for (const lang of ['pt', 'es', 'en'] as const) {
        expect(rule[lang].length).toBeGreaterThan(0);
        const rendered = ruleFor(rule.type, rule.channel, rule.data?.verification)!;
        expect(mapZapsignSentence(rendered[lang][0]!)?.type).toBe(rule.type);
      }
    }
  });

  it('maps every spelling variant of every table sentence the same way (property)', () => {
    const sentences = SENTENCE_RULES.flatMap((rule) => [...rule.pt, ...rule.es, ...rule.en]);
    fc.assert(
      fc.property(
        fc.constantFrom(...sentences),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        fc.constantFrom(' ', '  ', '\t', ' \u00a0'),
        fc.boolean(),
        (sentence, upper, space, stripAccents) => {
          let variant = [...sentence]
            .map((c, i) => (upper[i % 64] ? c.toUpperCase() : c.toLowerCase()))
            .join('');
          variant = variant.replace(/ /g, space);
          if (stripAccents) variant = variant.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
          expect(mapZapsignSentence(variant)).toEqual(mapZapsignSentence(sentence));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('status words', () => {
  it.each([
    ['pending', 'in_progress'],
    ['em-curso', 'in_progress'],
    ['signed', 'completed'],
    ['assinado', 'completed'],
    ['refused', 'declined'],
    ['recusado', 'declined'],
    ['RECUSADO', 'declined'],
    ['lixeira', undefined],
    ['whatever', undefined],
  ])('document status %s → %s', (word, hint) => {
    expect(documentStatusHint(word)).toBe(hint);
  });

  it.each([
    ['new', 'pending'],
    ['novo', 'pending'],
    ['link-opened', 'viewed'],
    ['abriu-link', 'viewed'],
    ['nao_abriu', 'invited'],
    ['signed', 'signed'],
    ['assinou', 'signed'],
    ['recusou', 'declined'],
    ['rejeitou', 'declined'],
    ['expirou', 'expired'],
    ['cancelado', 'cancelled'],
    ['whatever', undefined],
  ])('signer status %s → %s', (word, status) => {
    expect(signerStatusOf(word)).toBe(status);
  });
});
