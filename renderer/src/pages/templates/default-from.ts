/**
 * The From a new template starts with: the sending account of the relay (its sign-in address), so that a
 * starter can be sent without typing anything (null while no relay has an address for an account); and the
 * relay, when there is only one.
 */
import { useQuery } from '../../api/hooks';
import { parseAddress } from '../../../../shared/email-address';

export function useDefaultFrom(): { from: string | null; soleRelay: string | undefined } {
  const relays = useQuery('relaysList', {}, { refreshOn: ['relays:changed'] });
  const account = relays.data?.map((r) => r.user?.trim() ?? '').find((u) => u.includes('@') && parseAddress(u).ok);
  // With one relay, the template's check knows what it goes through (a relay that signs asks for no DKIM key).
  return { from: account ?? null, soleRelay: relays.data?.length === 1 ? relays.data[0]!.name : undefined };
}
