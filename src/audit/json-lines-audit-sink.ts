import type { AuditEvent, AuditSink } from '../ports/audit-sink.js';

/** Anything with an `info(object)` method: pino, bunyan, winston, console. */
export interface StructuredLogger {
  info(object: object, message?: string): unknown;
}

export interface JsonLinesAuditSinkOptions {
  /** Receives one JSON line per event (newlines inside values are escaped by JSON). @default process.stdout */
  write?: (line: string) => void;
  /** Log through a structured logger instead of writing lines; takes precedence over `write`. */
  logger?: StructuredLogger;
}

/**
 * JSON escapes CR/LF but leaves U+2028, U+2029 and the C1 controls (NEL U+0085, CSI U+009B) as
 * they are; some log viewers and terminals break lines or run escapes on them, so they are escaped.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes each event as one JSON line, or hands it to a structured logger. Keeps nothing, so it answers no history. */
export class JsonLinesAuditSink implements AuditSink {
  readonly #write: (event: AuditEvent) => void;

  constructor(options: JsonLinesAuditSinkOptions = {}) {
    const { logger, write } = options;
    if (logger) this.#write = (event) => void logger.info({ audit: event }, event.type);
    else {
      const out = write ?? ((line: string) => void process.stdout.write(line));
      this.#write = (event) => out(`${jsonLine(event)}\n`);
    }
  }

  async emit(event: AuditEvent): Promise<void> {
    this.#write(event);
  }
}
