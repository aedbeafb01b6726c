/** Campaigns: the history, the composer (a new campaign or a draft), and a campaign's progress and report. */
import { Anchor } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import type { SectionProps } from '../../app/sections';
import { NotFound } from '../../app/NotFound';
import { href } from '../../app/router';
import { Loading, Page } from '../../components/Page';
import { CampaignList } from './CampaignList';
import { Composer } from './Composer';
import { CampaignLive } from './CampaignLive';
import { t } from '../../i18n';

function CampaignView({ id }: { id: number }) {
  const q = useQuery('campaignsGet', { campaign: id });
  if (q.error) {
    return (
      <Page title={t('campaign.title')}>
        <Loading {...q}>{() => null}</Loading>
        <Anchor underline="always" href={href('campaigns')}>{t('campaign.all')}</Anchor>
      </Page>
    );
  }
  if (!q.data) {
    return (
      <Page title={t('campaign.title')}>
        <Loading {...q}>{() => null}</Loading>
      </Page>
    );
  }
  // A draft is still being composed; anything sent (or scheduled) shows its progress and report.
  return q.data.state === 'draft' ? <Composer key={`draft-${id}`} existing={q.data} /> : <CampaignLive key={`live-${id}`} detail={q.data} />;
}

export function CampaignsPage({ sub, query }: SectionProps) {
  const [first] = sub;
  if (first === undefined) return <CampaignList />;
  // `?template=ID`: started from a template's "Next" button, with that template chosen.
  if (first === 'new') return <Composer key="new" templateId={Number(query.get('template')) || undefined} />;
  const id = Number(first);
  if (!Number.isInteger(id) || id <= 0 || sub.length > 1) return <NotFound />;
  return <CampaignView key={id} id={id} />;
}
