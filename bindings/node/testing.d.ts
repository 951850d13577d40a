import type { Client, Options } from './index';

export interface SandboxOptions {
  /** Serve HTTPS with a CA made at start (clients get caFile). */
  tls?: boolean;
  /** Records replacing the built-in fixtures (openid -> record). */
  fixtures?: Record<string, object>;
  /** Latency added to every answer. */
  latencyMs?: number;
}

export declare class Sandbox {
  private constructor();
  readonly credentials: Readonly<{ appid: string; src: string; key: string }>;
  readonly endpoint: string;
  readonly caFile: string | null;
  client(options?: Options): Client;
  stats(): { requests: number; connections: number };
  hits(openid: string): number;
  addFixture(openid: string, record: object): void;
  close(): void;
}

/** Starts a sandbox on a free loopback port. */
export declare function sandbox(options?: SandboxOptions): Sandbox;
