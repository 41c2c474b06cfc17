import { type z } from 'zod';

/**
 * One line listing a zod validation failure's problems as `path: message; …`, for error messages that name
 * each bad field.
 *
 * @example
 * throw new VaekitError(`${file}: invalid: ${schemaIssues(r.error)}`);
 */
export function schemaIssues(error: z.ZodError, root = '(root)'): string {
  return error.issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join('; ');
}

/**
 * Parses `input` with `schema`, or throws the error `fail` builds from the issue list.
 *
 * @example
 * const cfg = parseOrThrow(VaeConfigSchema, raw, (issues) => new VaekitError(`config: invalid: ${issues}`));
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, fail: (issues: string) => Error): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw fail(schemaIssues(r.error));
  return r.data;
}
