/** Larger form bodies are refused (the dashboard's forms are a few hundred bytes). */
const MAX_FORM_BYTES = 16 * 1024;

/**
 * A URL-encoded form body, whichever way the framework left it: already parsed by the app's own
 * body parser (an object or a string), or still unread on the request stream. Anything else
 * (JSON, multipart, too large) reads as an empty form, so a forged body never gets further.
 */
export async function readForm(
  parsed: unknown,
  stream: AsyncIterable<Buffer | string> & { readableEnded?: boolean },
  contentType: string | string[] | undefined,
): Promise<URLSearchParams> {
  if (!String(contentType ?? '').startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  if (typeof parsed === 'string') return new URLSearchParams(parsed.slice(0, MAX_FORM_BYTES));
  if (typeof parsed === 'object' && parsed !== null) {
    return new URLSearchParams(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }
  if (stream.readableEnded) return new URLSearchParams();
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.length > MAX_FORM_BYTES) return new URLSearchParams();
  }
  return new URLSearchParams(text);
}
