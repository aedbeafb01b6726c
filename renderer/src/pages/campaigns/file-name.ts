/** A campaign's name as a file name the person's computer accepts (for the report the window saves). */
export function safeFileName(name: string): string {
  return name.replace(/[^\p{L}\p{N} ._-]+/gu, '_').trim().slice(0, 80) || 'campaign';
}
