import { userInfo } from 'node:os';

/** The login of whoever runs the CLI, for a decision's record; "unknown" where the OS cannot tell. */
export function currentUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
