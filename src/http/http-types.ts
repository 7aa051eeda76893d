/** What an adapter hands the core: the framework's request, translated. */
export interface HttpRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Client IP, resolved with the framework's trusted-proxy setting. */
  ip: string;
}

/** What the core asks an adapter to send. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Appends a response header (Set-Cookie is appended, never overwritten). */
export type HeaderWriter = (name: string, value: string) => void;
