import { Empty } from '../components/Empty';
import { Page } from '../components/Page';
import { href } from './router';
import { t } from '../i18n';

export function NotFound() {
  return (
    <Page title={t('notFound.title')}>
      <Empty title={t('notFound.heading')} action={t('notFound.action')} actionHref={href('home')}>
        {t('notFound.body')}
      </Empty>
    </Page>
  );
}
