/**
 * Pictures kept with the template (inline images) are written `<img src="cid:…">`, as the message carries them, and
 * a browser can't show that address. The editor shows them from what the window has: the file just chosen (an
 * object URL), or the image read once from the core. Only the editor's own <img> elements point there; the stored
 * HTML keeps `cid:…`.
 */
import Image, { type ImageOptions } from '@tiptap/extension-image';

export class CidImages {
  private readonly urls = new Map<string, string>();
  private readonly asked = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly owned: string[] = [];

  /** `load` reads a cid's picture from the core: an address to show, or null when there is none. */
  constructor(private readonly load: (cid: string) => Promise<string | null>) {}

  /** Where to show `src` from: itself, unless it is `cid:…`; null while that picture is read, or when it is missing. */
  resolve(src: string): string | null {
    const m = /^cid:(.+)$/i.exec(src);
    if (!m) return src;
    const cid = m[1]!;
    const url = this.urls.get(cid);
    if (url) return url;
    if (!this.asked.has(cid)) {
      this.asked.add(cid);
      this.load(cid).then(
        (u) => u && this.set(cid, u),
        () => undefined, // shown as missing
      );
    }
    return null;
  }

  /** Shows `cid` from `url`; an object URL made for it (`owned`) is revoked with the editor. */
  set(cid: string, url: string, owned = false): void {
    this.urls.set(cid, url);
    this.asked.add(cid);
    if (owned) this.owned.push(url);
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    for (const url of this.owned) URL.revokeObjectURL(url);
    this.owned.length = 0;
    this.urls.clear();
    this.listeners.clear();
  }
}

/** TipTap's image, shown through `images` (the node, and so the stored HTML, keeps its `cid:` address). */
export const CidImage = Image.extend<ImageOptions & { images: CidImages | null }>({
  addOptions() {
    return { ...this.parent!(), images: null };
  },
  addNodeView() {
    const images = this.options.images;
    return ({ node }) => {
      const img = document.createElement('img');
      let current = node;
      const show = () => {
        const attrs = current.attrs as { src: string; alt: string | null; title: string | null; width: number | string | null; height: number | string | null };
        const url = images ? images.resolve(attrs.src) : attrs.src;
        if (url) img.setAttribute('src', url);
        else img.removeAttribute('src');
        img.classList.toggle('visual-image-waiting', !url);
        for (const name of ['alt', 'title', 'width', 'height'] as const) {
          const v = attrs[name];
          if (v === null || v === undefined || v === '') img.removeAttribute(name);
          else img.setAttribute(name, String(v));
        }
        if (/^cid:/i.test(attrs.src)) img.setAttribute('data-cid', attrs.src.slice(4));
        else img.removeAttribute('data-cid');
      };
      show();
      const unsubscribe = images?.subscribe(show);
      return {
        dom: img,
        update(next) {
          if (next.type !== current.type) return false;
          current = next;
          show();
          return true;
        },
        destroy() {
          unsubscribe?.();
        },
        // The address is set here, not by the document: ProseMirror must not read it back as an edit.
        ignoreMutation: () => true,
      };
    };
  },
});
