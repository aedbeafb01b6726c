import { Empty } from '../components/Empty';
import { Page } from '../components/Page';
import { href } from './router';

export function NotFound() {
  return (
    <Page title="Page not found">
      <Empty title="There's nothing at this address" action="Go to Home" actionHref={href('home')}>
        The link may be old, or the thing it pointed to was removed.
      </Empty>
    </Page>
  );
}
