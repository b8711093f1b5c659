export interface EmbeddedPostgresServer {
  url(database: string): string;
  /** Creates the database when missing; returns its URL. */
  ensureDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  /** Starts a stopped server again (persistent clusters only). */
  start(): Promise<void>;
}

export function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  fast?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresServer>;
