/**
 * Personal-data masking, the one place every human-facing output uses.
 * Masks keep the shape and the last two digits so operators can still tell records apart.
 */

/** Masks every digit but the last two: `123456-7890` → `******-**90`. */
export function maskSsn(ssn: string): string {
  return maskDigits(ssn);
}

/** Masks every digit of a phone number but the last two, keeping `+` and separators. */
export function maskPhone(phone: string): string {
  return maskDigits(phone);
}

/** Masks an e-mail address: `jon.jonsson@example.com` → `j**********@e******.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '*'.repeat(email.length);
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${keepFirst(local)}@${keepFirst(host)}${tld}`;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// National ids of the vendors' markets: the Icelandic kennitala (6+4 digits, dash optional), the Brazilian
// CPF (`123.456.789-09`, ZapSign's signers) and the US SSN (`078-05-1120`). None has a date's shape.
const SSN = /\b(?:\d{6}-?\d{4}|\d{3}\.\d{3}\.\d{3}-\d{2}|\d{3}-\d{2}-\d{4})\b/g;
// Phone numbers: 7–15 digits with single spaces; dashes only in an international number (`+55 11 98765-4321`)
// or after an area code in brackets (`(11) 98765-4321`), so dates are not taken for phone numbers.
const PHONE = /(?<![\w.+-])(?:\+\d(?:[ -]?\d){6,14}|\d(?: ?\d){6,14}|\(\d{2,3}\) ?\d{4,5}-\d{4})\b/g;

/** Masks every e-mail address, national id (SSN, kennitala, CPF) and phone number in free text. */
export function maskPii(text: string): string {
  return text.replace(EMAIL, maskEmail).replace(SSN, maskSsn).replace(PHONE, maskPhone);
}

function maskDigits(value: string): string {
  let seen = 0;
  const total = value.replace(/\D/g, '').length;
  return value.replace(/\d/g, (digit) => {
    seen += 1;
    return seen > total - 2 ? digit : '*';
  });
}

function keepFirst(part: string): string {
  return part.length <= 1 ? '*' : `${part[0]}${'*'.repeat(part.length - 1)}`;
}
