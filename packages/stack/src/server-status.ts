export interface ServerStatus {
  name: 'kafka' | 'redis' | 'schema-registry';
  /** `starting`: our process is alive but does not answer requests yet. */
  state: 'running' | 'starting' | 'stopped';
  address: string;
  dataDir: string;
  pid?: number;
  detail?: string;
}

export interface StartOutcome {
  outcome: 'started' | 'already-running';
  pid: number;
}

export interface StopOutcome {
  outcome: 'terminated' | 'killed' | 'not-running';
  pid?: number;
  wiped: boolean;
}
