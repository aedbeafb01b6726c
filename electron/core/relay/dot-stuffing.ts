/**
 * A message as DATA carries it (RFC 5321 §4.5.2): every line that starts with a dot gets one more. Free of the
 * rest of the relay area, so that the compose worker prepares it beside the message it composed, off the engine's
 * thread (outbox/compose-worker.ts), and the pool does it only for a message composed elsewhere (pool.ts).
 */

const DOT = Buffer.from('.', 'latin1');

/**
 * The message dot-stuffed for DATA (RFC 5321 §4.5.2), when it is what a composed message always is: CRLF line
 * ends only, ending in CRLF. Null otherwise (bare CR or LF, no final line end): SMTPConnection's own DataStream
 * then mends and stuffs it. Found with native searches, one per line, instead of a JavaScript loop over every byte.
 */
export function dotStuffed(raw: Buffer): Buffer | null {
  const n = raw.length;
  if (n < 2 || raw[n - 2] !== 0x0d || raw[n - 1] !== 0x0a) return null;
  // Every CR must start a CRLF and every LF end one.
  for (let cr = raw.indexOf(0x0d); cr >= 0; cr = raw.indexOf(0x0d, cr + 2)) if (raw[cr + 1] !== 0x0a) return null;
  let pieces: Buffer[] | null = null;
  let from = 0;
  if (raw[0] === 0x2e) {
    pieces = [DOT];
  }
  for (let lf = raw.indexOf(0x0a); lf >= 0; lf = raw.indexOf(0x0a, lf + 1)) {
    if (raw[lf - 1] !== 0x0d) return null;
    if (raw[lf + 1] === 0x2e) {
      pieces ??= [];
      pieces.push(raw.subarray(from, lf + 1), DOT);
      from = lf + 1;
    }
  }
  if (!pieces) return raw;
  pieces.push(raw.subarray(from));
  return Buffer.concat(pieces);
}
