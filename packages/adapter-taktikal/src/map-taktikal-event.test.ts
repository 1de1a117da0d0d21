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
      mailgun: true,
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

  it('maps cancellation and expiry, in either spelling and any case', () => {
    for (const status of ['Canceled', 'Cancelled', 'CANCELED', 'cancelled']) {
      expect(mapTaktikalStatus(status)).toEqual({ type: 'process.cancelled' });
    }
    expect(mapTaktikalStatus('Expired')).toEqual({ type: 'process.expired' });
    expect(mapTaktikalStatus('EXPIRED')).toEqual({ type: 'process.expired' });
    // an SMS that expired is a failed delivery, not an expired process
    expect(mapTaktikalStatus('SMS:EXPIRED')?.type).toBe('notification.failed');
  });

  it('maps a known Mailgun event under an unknown prefix, the prefix naming the recipient', () => {
    expect(mapTaktikalStatus('Reminder:delivered')).toEqual({
      type: 'notification.delivered',
      channel: 'email',
      recipientRole: 'reminder',
      deliveryStatus: 'delivered',
      mailgun: true,
    });
    expect(mapTaktikalStatus('OwnerCopy:Bounced')).toMatchObject({
      type: 'notification.failed',
      recipientRole: 'ownercopy',
    });
    expect(concernsSigner(mapTaktikalStatus('Reminder:delivered')!)).toBe(false);
  });

  it('keeps channel, recipient and state of SMS states no type fits, flagged unmapped', () => {
    for (const state of ['SENT', 'ENROUTE', 'Accepted']) {
      const rule = mapTaktikalStatus(`SMS:${state}`)!;
      expect(rule).toEqual({
        type: 'other',
        channel: 'sms',
        recipientRole: 'signer',
        deliveryStatus: state.toLowerCase(),
        unmapped: true,
      });
      expect(concernsSigner(rule)).toBe(true);
    }
  });

  it('ignores case and spaces around the colon', () => {
    expect(mapTaktikalStatus('signeesigned')?.type).toBe('signer.signed');
    expect(mapTaktikalStatus('sms : Delivered')?.type).toBe('notification.delivered');
    expect(mapTaktikalStatus('CONFIRMATION:DELIVERED')?.recipientRole).toBe('owner');
  });

  it('knows nothing of undocumented codes (they become `other`)', () => {
    for (const status of ['Confirmation:opened', 'SigneeViewed', ':delivered', 'SMS:', '']) {
      expect(mapTaktikalStatus(status)).toBeUndefined();
    }
    // inherited object members are not table entries
    expect(mapTaktikalStatus('constructor')).toBeUndefined();
    expect(mapTaktikalStatus('Signup:constructor')).toBeUndefined();
    expect(mapTaktikalStatus('SMS:constructor')).toMatchObject({ type: 'other', unmapped: true });
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
    expect(mapTaktikalWebhookEvent(5)).toEqual({ name: 'Canceled', type: 'process.cancelled' });
    expect(mapTaktikalWebhookEvent(6)).toEqual({ name: 'Expired', type: 'process.expired' });
    expect(mapTaktikalWebhookEvent(10)?.type).toBe('process.completed');
    expect(mapTaktikalWebhookEvent(11)?.type).toBe('process.created');
    expect(mapTaktikalWebhookEvent(3)).toBeUndefined();
  });
});
