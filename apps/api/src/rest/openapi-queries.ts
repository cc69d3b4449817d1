import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';

/**
 * An object-valued query parameter (the history's `metadata` filter) is sent as bracketed
 * keys, `metadata[order]=A-17`: OpenAPI's deepObject style, which the generated document
 * does not say by itself.
 */
export function withBracketedObjectQueries(
  document: Parameters<NonNullable<FastifyDynamicSwaggerOptions['transformObject']>>[0],
) {
  if (!('openapiObject' in document)) return document.swaggerObject;
  const { openapiObject } = document;
  for (const path of Object.values(openapiObject.paths ?? {})) {
    for (const operation of Object.values(path as Record<string, { parameters?: unknown[] }>)) {
      for (const parameter of operation.parameters ?? []) {
        const query = parameter as { in?: string; schema?: { type?: string } } & Record<
          string,
          unknown
        >;
        if (query.in !== 'query' || query.schema?.type !== 'object') continue;
        query.style = 'deepObject';
        query.explode = true;
      }
    }
  }
  return openapiObject;
}
