/**
 * Error codes and the error a person reads, without zod: threads and modules that only throw (the import
 * worker) load this, and skip zod's start-up cost (about 65 ms). shared/result.ts builds the contract's schema
 * from the same list.
 */

/** Every error code the UI and the command line may act on. One list, so both sides can switch on it. */
export const ERROR_CODES = [
  'INVALID_INPUT', // the request did not match the contract
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT', // the operation does not fit the current state (e.g. editing a sending campaign)
  'DATA_NEWER', // the database was written by a newer Postroom
  'DATA_CORRUPT', // the database file is damaged or not a Postroom database
  'DATA_UNREADABLE', // the data folder or file can't be read or written (permissions, disk)
  'FILE_UNREADABLE', // an input file (spreadsheet, template, attachment) can't be read
  'IMPORT_FAILED',
  'TEMPLATE_INVALID',
  'AUTH_FAILED',
  'RELAY_UNREACHABLE',
  'TLS_FAILED',
  'DNS_FAILED',
  'SEND_FAILED',
  'CANCELLED',
  'REVIEW_BLOCKED', // the review before sending found blockers (campaigns:send); params.blockers lists their codes
  'UNSUPPORTED',
  'BOUNCE_RATE', // a campaign paused because too many of its messages bounced
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What an error names (a campaign, a list, a domain…), for each door to word its own action. */
export type ErrorParams = Record<string, string | number | null>;

/**
 * An error a person reads: what happened, why, and what to do, in words that fit every door. Carries a code the
 * UI can act on and, where a door adds an action of its own (a button, a command), the parameters it needs.
 */
export class PostroomError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = 'PostroomError';
  }
}
