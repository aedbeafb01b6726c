import type { Migration } from './index';

/**
 * Counting a campaign's possibly repeated messages without reading its rows: progress events count a
 * campaign by state several times a second, and the sum of `possible_duplicate` made SQLite read every outbox
 * row of the campaign (about 300 ms a count at a million recipients). With this partial index the count by state
 * is answered from the `outbox_due` index alone and the possible duplicates from this one (about 60 ms).
 */
export const m006OutboxCounts: Migration = {
  version: 6,
  name: 'outbox-counts',
  up(db) {
    db.exec(`CREATE INDEX outbox_possible_duplicate ON outbox (campaign_id) WHERE possible_duplicate = 1;`);
  },
};
