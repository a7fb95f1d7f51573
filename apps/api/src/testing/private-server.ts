/** A server a fault test starts for itself (never the shared one) and may stop, start, freeze and thaw. */
export interface PrivateServer {
  stop(): Promise<void>;
  /** Starts it again on the same port; a no-op while it runs. */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers, as in a network partition. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
}
