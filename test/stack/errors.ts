/** A failure a user can act on: printed as one line (plus a log tail where there is one), never as a stack trace. */
export class StackError extends Error {
  override name = 'StackError';
}
