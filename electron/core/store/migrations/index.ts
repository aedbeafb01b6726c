/**
 * Numbered migrations, applied in order, each inside a transaction, recorded in `PRAGMA user_version`.
 * Never edit one that has shipped; add the next. Each area of the core owns its own migration files.
 */
import type { Database } from 'better-sqlite3';
import { m001Foundation } from './001-foundation';
import { m002Recipients } from './002-recipients';
import { m003Templates } from './003-templates';
import { m004Relays } from './004-relays';
import { m005Outbox } from './005-outbox';
import { m006OutboxCounts } from './006-outbox-counts';
import { m007LocalSafety } from './007-local-safety';
import { m008RelaySignIn } from './008-relay-sign-in';
import { m009Mailboxes } from './009-mailboxes';
import { m010TemplateVisual } from './010-template-visual';
import { m011CoreNotes } from './011-core-notes';
import { m012TemplateLanguage } from './012-template-language';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [m001Foundation, m002Recipients, m003Templates, m004Relays, m005Outbox, m006OutboxCounts, m007LocalSafety, m008RelaySignIn, m009Mailboxes, m010TemplateVisual, m011CoreNotes, m012TemplateLanguage];

/** The schema version this build of Postroom writes. */
export const LATEST_VERSION = migrations[migrations.length - 1]!.version;
