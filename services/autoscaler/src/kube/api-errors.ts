// One line for an API server error: @kubernetes/client-node's ApiException carries the HTTP code and the Status body
// whose `message` says what was refused; its own message adds the headers and an escaped body over several lines.
export function describeKubeError(error: unknown): string {
  const { code, body } = (error ?? {}) as { code?: unknown; body?: unknown };
  if (typeof code === 'number' && typeof body === 'string') {
    try {
      const status = JSON.parse(body) as { message?: unknown };
      if (typeof status.message === 'string') return `${code}: ${status.message}`;
    } catch {
      // not a Status body: fall through
    }
    return `HTTP ${code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
