import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone, maskPii, maskSsn } from './pii.js';

describe('PII masking', () => {
  it('masks an SSN keeping the last two digits and the shape', () => {
    expect(maskSsn('123456-7890')).toBe('******-**90');
    expect(maskSsn('1234567890')).toBe('********90');
  });
  it('masks phones', () => {
    expect(maskPhone('+354 888 1234')).toBe('+*** *** **34');
  });
  it('masks e-mails', () => {
    expect(maskEmail('jon.jonsson@example.com')).toBe('j**********@e******.com');
    expect(maskEmail('a@b')).toBe('*@*');
    expect(maskEmail('not-an-email')).toBe('************');
  });
  it('masks e-mails, SSNs and phones inside free text and leaves the rest', () => {
    const text = 'SMS sent to +3548881234 for 010130-3019 (jon@example.com) at 2024-01-01 10:00';
    const masked = maskPii(text);
    expect(masked).not.toContain('8881234');
    expect(masked).not.toContain('010130');
    expect(masked).not.toContain('jon@example.com');
    expect(masked).toContain('SMS sent to');
    expect(masked).toContain('2024-01-01 10:00');
  });
  it('masks the national ids and phone forms of every vendor market, not dates or times', () => {
    const text =
      'CPF 123.456.789-09, SSN 078-05-1120, tel +55 11 98765-4321 or (11) 98765-4321, signed 2024-11-27 17:44:32';
    expect(maskPii(text)).toBe(
      'CPF ***.***.***-09, SSN ***-**-**20, tel +** ** *****-**21 or (**) *****-**21, signed 2024-11-27 17:44:32',
    );
    expect(maskPii('from 2024-01-01 to 2025-12-31, 10:00:00.123456, order 2024-0001')).toBe(
      'from 2024-01-01 to 2025-12-31, 10:00:00.123456, order 2024-0001',
    );
  });
});
