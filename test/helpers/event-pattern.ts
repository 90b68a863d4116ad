/**
 * EventBridge content matching for the pattern forms the app uses: a field lists the values it accepts (exact
 * strings/numbers), a nested object matches nested fields, and every field of the pattern must match.
 * (EventBridge's own TestEventPattern API is online-only.)
 */
export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, accepted]) => {
    const value = event[key];
    if (Array.isArray(accepted)) {
      if (accepted.some((a) => typeof a === 'object' && a !== null))
        throw new Error(`event-pattern: content filters are not supported (${key})`);
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => accepted.includes(v));
    }
    if (typeof accepted === 'object' && accepted !== null) {
      return (
        typeof value === 'object' && value !== null && matchesPattern(accepted as Record<string, unknown>, value as Record<string, unknown>)
      );
    }
    throw new Error(`event-pattern: a pattern field must be an array or an object (${key})`);
  });
}
