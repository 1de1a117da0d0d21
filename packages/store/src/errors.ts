import { SignTrailError } from '@signtrail/core';

/** Credentials were to be sealed or opened but no `SIGNTRAIL_SECRET_KEY` (option `secretKey`) is set. */
export class MissingSecretKeyError extends SignTrailError {
  constructor() {
    super(
      'missing_secret_key',
      'vendor credentials are encrypted at rest: set SIGNTRAIL_SECRET_KEY (32 bytes, base64 or hex) or pass openStore({ secretKey })',
    );
  }
}

/** Sealed credentials could not be opened: a different key, or the stored bytes were altered. */
export class CredentialsDecryptionError extends SignTrailError {
  constructor(tenant: string, vendor: string) {
    super(
      'credentials_decryption',
      `credentials of tenant ${JSON.stringify(tenant)}, vendor ${JSON.stringify(vendor)} could not be decrypted: wrong SIGNTRAIL_SECRET_KEY or altered data`,
    );
  }
}
