import { describe, expect, it } from 'vitest';
import {
  channelFromDescription,
  concernsSigner,
  mapTaktikalProcessStatus,
  mapTaktikalStatus,
  mapTaktikalWebhookEvent,
} from './map-taktikal-event.js';

describe('mapTaktikalStatus', () => {
  it('maps every documented status', () => {
    expect(mapTaktikalStatus('Created')).toEqual({ type: 'process.created' });
    expect(mapTaktikalStatus('SigneeAdded')).toEqual({ type: 'signer.added' });
    expect(mapTaktikalStatus('SignupSent')).toEqual({ type: 'signer.invited', channelInDescription: true });
    expect(mapTaktikalStatus('Started')).toEqual({ type: 'process.started' });
    expect(mapTaktikalStatus('SigneeSigned')).toEqual({ type: 'signer.signed', signeeActs: true });
    expect(mapTaktikalStatus('Completed')).toEqual({ type: 'process.completed' });
    expect(mapTaktikalStatus('SMS:DELIVERED')).toEqual({
      type: 'notification.delivered',
      channel: 'sms',
      recipientRole: 'signer',
      deliveryStatus: 'delivered',
    });
    expect(mapTaktikalStatus('Confirmation:delivered')).toEqual({
      type: 'notification.delivered',
      channel: 'email',
      recipientRole: 'owner',
      deliveryStatus: 'delivered',
    });
    expect(mapTaktikalStatus('SalesPerson:delivered')).toMatchObject({
      type: 'notification.delivered',
      recipientRole: 'salesperson',
    });
  });

  it('maps SMS failure states to notification.failed and keeps the state', () => {
    for (const state of ['FAILED', 'UNDELIVERED', 'UNDELIVERABLE', 'EXPIRED', 'REJECTED', 'DELETED']) {
      expect(mapTaktikalStatus(`SMS:${state}`)).toEqual({
        type: 'notification.failed',
        channel: 'sms',
        recipientRole: 'signer',
        deliveryStatus: state.toLowerCase(),
      });
    }
  });

  it('maps Mailgun failures for every recipient prefix', () => {
    for (const event of ['failed', 'bounced', 'rejected', 'complained', 'dropped']) {
      expect(mapTaktikalStatus(`Confirmation:${event}`)).toMatchObject({
        type: 'notification.failed',
        recipientRole: 'owner',
        deliveryStatus: event,
      });
      expect(mapTaktikalStatus(`SalesPerson:${event}`)?.recipientRole).toBe('salesperson');
      expect(mapTaktikalStatus(`Signup:${event}`)?.recipientRole).toBe('signer');
      expect(mapTaktikalStatus(`Signee:${event}`)?.recipientRole).toBe('signer');
    }
  });

  it('ignores case and spaces around the colon', () => {
    expect(mapTaktikalStatus('signeesigned')?.type).toBe('signer.signed');
    expect(mapTaktikalStatus('sms : Delivered')?.type).toBe('notification.delivered');
    expect(mapTaktikalStatus('CONFIRMATION:DELIVERED')?.recipientRole).toBe('owner');
  });

  it('knows nothing of undocumented codes (they become `other`)', () => {
    for (const status of [
      'SMS:SENT',
      'SMS:ENROUTE',
      'Confirmation:opened',
      'Reminder:delivered',
      'Canceled',
      '',
    ]) {
      expect(mapTaktikalStatus(status)).toBeUndefined();
    }
    // inherited object members are not table entries
    expect(mapTaktikalStatus('constructor')).toBeUndefined();
    expect(mapTaktikalStatus('SMS:constructor')).toBeUndefined();
  });

  it('says which events concern one signee', () => {
    expect(concernsSigner(mapTaktikalStatus('SigneeAdded')!)).toBe(true);
    expect(concernsSigner(mapTaktikalStatus('SMS:DELIVERED')!)).toBe(true);
    expect(concernsSigner(mapTaktikalStatus('Signup:bounced')!)).toBe(true);
    expect(concernsSigner(mapTaktikalStatus('Completed')!)).toBe(false);
    expect(concernsSigner(mapTaktikalStatus('Confirmation:delivered')!)).toBe(false);
  });
});

describe('channelFromDescription', () => {
  it('reads the delivery method, whatever the casing and spacing', () => {
    expect(channelFromDescription('Signup sent. Processkey: x. Signee: y. Delivery method : Sms ')).toBe(
      'sms',
    );
    expect(channelFromDescription('Signup sent. delivery method: EMAIL')).toBe('email');
    expect(channelFromDescription('Delivery method :WhatsApp')).toBe('whatsapp');
  });

  it('gives nothing when no method is named or it is None', () => {
    expect(channelFromDescription('Signup sent.')).toBeUndefined();
    expect(channelFromDescription('Delivery method : None')).toBeUndefined();
    expect(channelFromDescription(undefined)).toBeUndefined();
    expect(channelFromDescription(null)).toBeUndefined();
  });
});

describe('mapTaktikalProcessStatus', () => {
  it('hints completed and in progress, and nothing for InActive or unknown words', () => {
    expect(mapTaktikalProcessStatus('Completed')).toBe('completed');
    expect(mapTaktikalProcessStatus('Active')).toBe('in_progress');
    expect(mapTaktikalProcessStatus('InActive')).toBeUndefined();
    expect(mapTaktikalProcessStatus('Archived')).toBeUndefined();
  });
});

describe('mapTaktikalWebhookEvent', () => {
  it('names the documented webhook event types', () => {
    expect(mapTaktikalWebhookEvent(1)).toEqual({ name: 'SignedDocument', type: 'signer.signed' });
    expect(mapTaktikalWebhookEvent(2)?.name).toBe('AllSigned');
    expect(mapTaktikalWebhookEvent(5)?.type).toBe('process.cancelled');
    expect(mapTaktikalWebhookEvent(6)?.type).toBe('process.expired');
    expect(mapTaktikalWebhookEvent(10)?.type).toBe('process.completed');
    expect(mapTaktikalWebhookEvent(11)?.type).toBe('process.created');
    expect(mapTaktikalWebhookEvent(3)).toBeUndefined();
  });
});
