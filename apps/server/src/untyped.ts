/**
 * A response in a format zod-openapi's typed handlers do not model (CSV, NDJSON, CloudEvents, problem
 * documents); its shape is still documented on the route.
 */
export function untyped(response: Response): never {
  return response as never;
}
