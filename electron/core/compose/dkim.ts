/**
 * DKIM (RFC 6376) per sender domain. The private key is sealed with the host's SecretBox before it reaches the
 * database and unsealed only in memory, when a campaign's composer is prepared.
 */
import crypto from 'node:crypto';
import type DKIM from 'nodemailer/lib/dkim';
import { onFirstUse } from '../first-use';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import type { DkimKey } from '../../../shared/contract/templates';
import { domainOf, parseMailboxSource } from './headers';
import { deleteDkimKey, dkimKeyFor, listDkimKeys, upsertDkimKey, type DkimKeyRow } from '../store/templates';

const dkimSigner = onFirstUse<typeof DKIM>('nodemailer/lib/dkim');

/** The headers every signature covers (those present; RFC 6376 §5.4), From first as §5.4 requires. */
export const SIGNED_HEADERS = [
  'From',
  'To',
  'Subject',
  'Date',
  'Message-ID',
  'Reply-To',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'MIME-Version',
  'Content-Type',
].join(':');

export interface DkimSigner {
  domain: string;
  selector: string;
  privateKey: crypto.KeyObject;
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const SELECTOR = /^[a-z0-9](?:[a-z0-9._-]{0,62})$/i;

function toSummary(row: DkimKeyRow): DkimKey {
  return {
    domain: row.domain,
    selector: row.selector,
    dnsName: `${row.selector}._domainkey.${row.domain}`,
    dnsValue: `v=DKIM1; k=rsa; p=${row.publicKey}`,
    createdAt: row.createdAt,
  };
}

export function listKeys(ctx: CoreContext): DkimKey[] {
  return listDkimKeys(ctx.db).map(toSummary);
}

/** Keeps a key for `domain` (a given PEM, or a fresh 2048-bit RSA key), sealed. */
export function addKey(ctx: CoreContext, input: { domain: string; selector: string; privateKeyPem?: string }): DkimKey {
  const domain = input.domain.trim().toLowerCase();
  const selector = input.selector.trim();
  if (!DOMAIN.test(domain)) {
    throw new PostroomError('INVALID_INPUT', `"${input.domain}" is not a domain name. Give the domain of your From address, e.g. example.com.`);
  }
  if (!SELECTOR.test(selector)) {
    throw new PostroomError('INVALID_INPUT', `"${input.selector}" is not a DKIM selector. Use letters, digits, dots and dashes, e.g. postroom1.`);
  }
  if (!ctx.secrets.available()) {
    throw new PostroomError('UNSUPPORTED', "This computer has no safe place for secrets (no keyring), so a DKIM key can't be kept. Set up a keyring and try again.");
  }
  let privateKey: crypto.KeyObject;
  if (input.privateKeyPem !== undefined) {
    try {
      privateKey = crypto.createPrivateKey(input.privateKeyPem);
    } catch {
      throw new PostroomError('INVALID_INPUT', 'The DKIM private key could not be read. Give an RSA private key in PEM form (-----BEGIN PRIVATE KEY-----).');
    }
    const type = privateKey.asymmetricKeyType;
    if (type !== 'rsa') {
      throw new PostroomError('INVALID_INPUT', `A DKIM key must be an RSA key (rsa-sha256 is what every receiver verifies); this one is ${type ?? 'unknown'}.`);
    }
    if ((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 1024) {
      throw new PostroomError('INVALID_INPUT', 'This RSA key is shorter than 1024 bits; receivers ignore such signatures. Use a 2048-bit key.');
    }
  } else {
    privateKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKey = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const row: DkimKeyRow = {
    domain,
    selector,
    sealedKey: ctx.secrets.encrypt(pem),
    publicKey: publicKey.toString('base64'),
    createdAt: ctx.clock.now(),
  };
  upsertDkimKey(ctx.db, row);
  return toSummary(row);
}

export function removeKey(ctx: CoreContext, domain: string): boolean {
  return deleteDkimKey(ctx.db, domain.trim().toLowerCase());
}

/** Whether a DKIM key is kept for a From's domain; undefined when the From has no valid address (its check says so). */
export function hasDkimKey(ctx: CoreContext, from: string): boolean | undefined {
  let domain: string;
  try {
    domain = domainOf(parseMailboxSource(from, 'From address').address);
  } catch {
    return undefined;
  }
  return dkimKeyFor(ctx.db, domain) !== undefined;
}

/** The signer for a From domain, or null when no key is kept for it. */
export function signerFor(ctx: CoreContext, domain: string): DkimSigner | null {
  const row = dkimKeyFor(ctx.db, domain);
  if (!row) return null;
  const pem = ctx.secrets.decrypt(row.sealedKey);
  return { domain: row.domain, selector: row.selector, privateKey: crypto.createPrivateKey(pem) };
}

/** Signs a composed message: the DKIM-Signature header is put in front of it. */
export async function signMessage(raw: Buffer, signer: DkimSigner): Promise<Buffer> {
  const dkim = new (dkimSigner())({
    domainName: signer.domain,
    keySelector: signer.selector,
    privateKey: signer.privateKey,
    headerFieldNames: SIGNED_HEADERS,
  });
  const stream = dkim.sign(raw);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
