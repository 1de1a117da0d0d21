import { isEventType, PROCESS_STATUSES } from '@signtrail/core';
import { describe, expect, it } from 'vitest';
import {
  ACTION_RULES,
  informationField,
  PACKAGE_STATUS_HINTS,
  ruleFor,
  statusHintFor,
  viewerChannel,
} from './map-signinghub-event.js';
import { ACTION_BY_TYPE } from './sandbox/render-signinghub.js';

describe('SigningHub action mapping', () => {
  it.each([
    ['SHARED', 'process.started'],
    ['OPENED', 'signer.viewed'],
    ['SIGNED', 'signer.signed'],
    ['IN_PERSON_SIGNED', 'signer.signed'],
    ['ESEAL_APPLIED', 'signer.signed'],
    ['DECLINED', 'signer.declined'],
    ['APPROVED', 'signer.approved'],
    ['RECALLED', 'process.cancelled'],
    ['UPDATED', 'process.updated'],
    ['RENAMED', 'process.updated'],
    ['DELETED', 'process.deleted'],
    ['UPLOADED', 'document.added'],
    ['ADDED_FROM_CLOUD', 'document.added'],
    ['DOWNLOADED', 'document.downloaded'],
    ['COMPLETED', 'process.completed'],
    ['PRINTED', 'other'],
    ['COMMENT_ADDED', 'other'],
  ])('%s → %s', (code, type) => {
    expect(ruleFor(code)?.type).toBe(type);
  });

  it('knows nothing of unknown codes, prototype names included', () => {
    expect(ruleFor('TELEPORTED')).toBeUndefined();
    expect(ruleFor('constructor')).toBeUndefined();
    expect(ruleFor('shared')).toBeUndefined(); // codes are case-sensitive UPPER_SNAKE
  });

  it('maps only to taxonomy types', () => {
    for (const rule of Object.values(ACTION_RULES)) expect(isEventType(rule.type)).toBe(true);
  });

  it('is the inverse of what the simulator renders', () => {
    for (const [type, code] of Object.entries(ACTION_BY_TYPE)) expect(ruleFor(code)?.type).toBe(type);
  });

  it('marks recipient acts (signerId = actor) and vendor machinery (actor system)', () => {
    expect(['OPENED', 'SIGNED', 'APPROVED', 'DECLINED'].every((c) => ruleFor(c)?.bySigner)).toBe(true);
    expect(ruleFor('REMINDED')?.bySigner).toBeUndefined(); // sent by the owner about someone else
    expect(ruleFor('IN_PERSON_SIGNED')?.bySigner).toBeUndefined(); // logged by the in-person host
    expect(
      ['COMPLETED', 'EVIDENCE_REPORT_GENERATED', 'POST_PROCESSED'].every((c) => ruleFor(c)?.system),
    ).toBe(true);
  });

  it('maps package_status words to process statuses', () => {
    expect(statusHintFor('COMPLETED')).toBe('completed');
    expect(statusHintFor('DECLINED')).toBe('declined');
    expect(statusHintFor('DRAFT')).toBe('draft');
    for (const word of ['INPROGRESS', 'PENDING', 'SIGNED', 'REVIEWED', 'EDITED', 'UPDATED', 'APPROVED']) {
      expect(statusHintFor(word)).toBe('in_progress');
    }
    expect(statusHintFor('EXPIRING_IN_SEVEN_DAYS')).toBeUndefined();
    for (const status of Object.values(PACKAGE_STATUS_HINTS)) expect(PROCESS_STATUSES).toContain(status);
  });

  it('maps information types and viewers', () => {
    expect(informationField('SIGNING_METHOD')).toBe('method');
    expect(informationField('METHOD')).toBe('method');
    expect(informationField('SHARED_WITH')).toBe('sharedWith');
    expect(informationField('PRINTER')).toBeUndefined();
    expect(viewerChannel('WEB_BROWSER')).toBe('web');
    expect(viewerChannel('SMART_TV')).toBeUndefined();
  });
});
