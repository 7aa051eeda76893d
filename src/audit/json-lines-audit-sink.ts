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

/** Writes each event as one JSON line, or hands it to a structured logger. Keeps nothing, so it answers no history. */
export class JsonLinesAuditSink implements AuditSink {
  readonly #write: (event: AuditEvent) => void;

  constructor(options: JsonLinesAuditSinkOptions = {}) {
    const { logger, write } = options;
    if (logger) this.#write = (event) => void logger.info({ audit: event }, event.type);
    else {
      const out = write ?? ((line: string) => void process.stdout.write(line));
      this.#write = (event) => out(`${JSON.stringify(event)}\n`);
    }
  }

  async emit(event: AuditEvent): Promise<void> {
    this.#write(event);
  }
}
