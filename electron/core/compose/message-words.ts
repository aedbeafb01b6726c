/**
 * The words Postroom itself puts into a message, in the language the template is written in (a template's own words
 * are the person's): the layout's unsubscribe footer, the subject of the unsubscribe request a mail program writes
 * from the mailto: link, and the made-up list a preview without a list names. Not the window's words (those are in
 * its catalogs, in the language the person reads): these are read by the recipients. Formal throughout (Sie,
 * vous, usted), as a shop or a practice writes to its customers. The unsubscribe words are those the starter
 * templates use (assets/templates/<key>/<lang>/), and the subjects are among those mailbox/classify.ts recognises.
 */
import type { Language } from '../../../shared/contract/app';

export interface MessageWords {
  /** The footer's first sentence: why the recipient gets this. Liquid: `{{ list }}` is the list's name. */
  footerReason: string;
  /** The footer's second sentence, around its unsubscribe link: the words before it, the link's words, those after. */
  footerLeave: readonly [before: string, link: string, after: string];
  /** The subject of an unsubscribe request sent from the mailto: link, in front of the recipient's token. */
  unsubscribeSubject: string;
  /** `{{ list }}` in a preview (or a test) merged with a sample recipient, when no list is chosen. */
  sampleList: string;
}

const WORDS: Record<Language, MessageWords> = {
  en: {
    footerReason: 'You are receiving this because you are on the list {{ list }}.',
    footerLeave: ['', 'Unsubscribe', ' at any time.'],
    unsubscribeSubject: 'Unsubscribe',
    sampleList: 'Sample list',
  },
  de: {
    footerReason: 'Sie erhalten diese E-Mail, weil Sie auf der Liste {{ list }} stehen.',
    footerLeave: ['Sie können sich jederzeit ', 'abmelden', '.'],
    unsubscribeSubject: 'Abmelden',
    sampleList: 'Beispielliste',
  },
  fr: {
    footerReason: 'Vous recevez ce message parce que votre adresse figure sur la liste {{ list }}.',
    footerLeave: ['Vous pouvez vous ', 'désinscrire', ' à tout moment.'],
    unsubscribeSubject: 'Désinscription',
    sampleList: 'Liste d’exemple',
  },
  es: {
    footerReason: 'Recibe este mensaje porque su dirección figura en la lista {{ list }}.',
    footerLeave: ['Puede ', 'darse de baja', ' en cualquier momento.'],
    unsubscribeSubject: 'Darse de baja',
    sampleList: 'Lista de ejemplo',
  },
};

/** The words for a message written in `language`. */
export function messageWords(language: Language): MessageWords {
  return WORDS[language];
}
