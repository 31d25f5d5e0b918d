/**
 * Pure: the OpenAPI document as the docs page lists it (operations with parameters, body fields and
 * responses), so the page is rendered on the server from the very document clients get.
 */
type Json = Record<string, unknown>;

export interface DocField {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  scope: string | null;
  params: Array<DocField & { in: string }>;
  body: { contentType: string; fields: DocField[] } | null;
  responses: Array<{ status: string; description: string; schema: string | null }>;
}

function resolve(doc: Json, schema: Json | undefined): Json {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema ?? {};
  const name = ref.split('/').pop()!;
  return ((doc.components as Json)?.schemas as Json)?.[name] as Json ?? {};
}

function typeOf(doc: Json, schema: Json): string {
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(' | ');
  if (schema.type === 'array') return `${typeOf(doc, (schema.items as Json) ?? {})}[]`;
  const t = String(schema.type ?? 'object');
  return (schema.nullable ? `${t} | null` : t) + (schema.format ? ` (${schema.format})` : '');
}

function fieldsOf(doc: Json, schema: Json | undefined): DocField[] {
  const s = resolve(doc, schema);
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries((s.properties as Record<string, Json> | undefined) ?? {}).map(([name, p]) => ({
    name,
    type: typeOf(doc, p),
    required: required.has(name),
    description: String(p.description ?? ''),
  }));
}

export function docOperations(doc: Json): DocOperation[] {
  const ops: DocOperation[] = [];
  for (const [path, item] of Object.entries((doc.paths as Record<string, Json>) ?? {})) {
    for (const [method, raw] of Object.entries(item)) {
      const op = raw as Json;
      const security = (op.security as Array<Record<string, string[]>> | undefined)?.[0];
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      const [contentType, media] = Object.entries(content)[0] ?? [];
      const bodySchema = media?.schema as Json | undefined;
      ops.push({
        id: String(op.operationId),
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ''),
        scope: security ? (Object.values(security)[0]?.[0] ?? 'token') : null,
        params: ((op.parameters as Json[] | undefined) ?? []).map((p) => ({
          name: String(p.name),
          in: String(p.in),
          type: typeOf(doc, (p.schema as Json) ?? {}),
          required: p.required === true,
          description: String((p.schema as Json | undefined)?.description ?? p.description ?? ''),
        })),
        body: contentType ? { contentType, fields: bodySchema?.type === 'string' ? [] : fieldsOf(doc, bodySchema) } : null,
        responses: Object.entries((op.responses as Record<string, Json>) ?? {}).map(([status, r]) => {
          const schema = (Object.values((r.content as Record<string, Json>) ?? {})[0]?.schema as Json | undefined) ?? null;
          return { status, description: String(r.description ?? ''), schema: schema ? typeOf(doc, schema) : null };
        }),
      });
    }
  }
  return ops;
}
