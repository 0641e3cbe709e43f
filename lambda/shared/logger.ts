/**
 * A tiny structured logger: one JSON object per line, which Lambda's JSON log format keeps
 * searchable. Callers log ids, statuses and sizes, never configuration documents or secrets.
 */
type Fields = Record<string, unknown>;

const persistent: Fields = {};

function write(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields?: Fields): void {
  const line = JSON.stringify({ level, message, ...persistent, ...fields });
  if (level === 'ERROR') console.error(line);
  else if (level === 'WARN') console.warn(line);
  else console.info(line);
}

export const logger = {
  /** Adds keys to every later line of this invocation (request id, resource). */
  appendKeys(fields: Fields): void {
    Object.assign(persistent, fields);
  },
  resetKeys(): void {
    for (const key of Object.keys(persistent)) delete persistent[key];
  },
  info: (message: string, fields?: Fields) => write('INFO', message, fields),
  warn: (message: string, fields?: Fields) => write('WARN', message, fields),
  error: (message: string, fields?: Fields) => write('ERROR', message, fields),
};
