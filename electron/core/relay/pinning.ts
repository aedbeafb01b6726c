/**
 * "Accept a self-signed certificate" pins the certificate the person accepted (its SHA-256 fingerprint) instead of
 * switching verification off: the TLS handshake may then finish without an authority's signature, and this check
 * runs before anything (a password, a message) is sent. A certificate an authority vouches for (the chain and the
 * host name verified) always passes; an unverified one must be the pinned one. The first connection after the
 * person accepted pins what it sees when no fingerprint came with the acceptance (from a test they were shown).
 */
import type { TLSSocket } from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { CoreContext } from '../context';
import { pinCertificate, type RelayProfile } from './profiles';

/** `AB:CD:…`, upper case, as Node and browsers print SHA-256 fingerprints. */
export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

/** The certificate a session's server showed, or null (no TLS). */
export function peerCertificate(smtp: SMTPConnection): { fingerprint: string; trusted: boolean } | null {
  const socket = (smtp as unknown as { _socket?: TLSSocket })._socket;
  if (!socket || typeof socket.getPeerCertificate !== 'function') return null;
  const cert = socket.getPeerCertificate();
  if (!cert?.fingerprint256) return null;
  return { fingerprint: normaliseFingerprint(cert.fingerprint256), trusted: socket.authorized === true };
}

/** Null when the session may go on, else why not (the connection must then be closed before anything is sent). */
export function checkPinnedCertificate(ctx: CoreContext, profile: RelayProfile, smtp: SMTPConnection): string | null {
  if (!profile.acceptSelfSigned || profile.security === 'none') return null;
  const seen = peerCertificate(smtp);
  if (!seen) return `Couldn't read the certificate of ${profile.host}, so Postroom can't tell it is the one you accepted.`;
  if (seen.trusted) return null;
  const pinned = profile.tlsFingerprint ? normaliseFingerprint(profile.tlsFingerprint) : null;
  if (!pinned) {
    if (profile.id) pinCertificate(ctx, profile.id, seen.fingerprint);
    return null;
  }
  if (pinned === seen.fingerprint) return null;
  return `The certificate of ${profile.host} is not the one accepted for relay "${profile.name}" (accepted SHA-256 ${pinned}, now ${seen.fingerprint}): someone may be intercepting the connection, so nothing was sent. If the server really has a new certificate, accept it again in the relay's settings.`;
}
