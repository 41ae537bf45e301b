// Configuration editors generated from the types Feature.yaml declares: a control per type (text, integer,
// switch, list), secrets write-only (never shown; a new value replaces the stored one), the API's validation
// errors inline under the value they are about. Globally, or for one environment (over the global value).
import { Badge, Button, Code, Group, PasswordInput, Switch, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../api/client';

type Key = Schemas['FeatureDetail']['configKeys'][number];
type Config = Schemas['Config'];
export type Scope = { kind: 'global' } | { kind: 'environment'; tenant: string; env: string };

/** What the control holds, turned into the JSON value the API takes (it checks the type; a wrong one comes back as an error). */
function toValue(type: Key['type'], raw: string | boolean | string[]): unknown {
  if (type === 'int' && typeof raw === 'string') return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  return raw;
}

function initial(key: Key, stored: Config | undefined): string | boolean | string[] {
  if (key.secret) return '';
  const v = stored?.value ?? null;
  if (key.type === 'bool') return v === true;
  if (key.type === 'string_array') return Array.isArray(v) ? v.map(String) : [];
  if (v === null || v === undefined) return '';
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function Editor({
  feature,
  scope,
  k,
  stored,
  global,
  editable,
}: {
  feature: string;
  scope: Scope;
  k: Key;
  stored: Config | undefined;
  global: Config | undefined;
  editable: boolean;
}) {
  const qc = useQueryClient();
  const [raw, setRaw] = useState(initial(k, stored));
  const path = { feature, key: k.key };
  const save = useMutation({
    mutationFn: (value: unknown) =>
      scope.kind === 'global'
        ? unwrap(api.PUT('/api/v1/features/{feature}/config/{key}', { params: { path }, body: { value } }))
        : unwrap(
            api.PUT('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}/config/{key}', {
              params: { path: { ...path, tenant: scope.tenant, env: scope.env } },
              body: { value },
            }),
          ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['config', feature] }),
  });
  const remove = useMutation({
    mutationFn: () =>
      scope.kind === 'global'
        ? unwrap(api.DELETE('/api/v1/features/{feature}/config/{key}', { params: { path } }))
        : unwrap(
            api.DELETE('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}/config/{key}', {
              params: { path: { ...path, tenant: scope.tenant, env: scope.env } },
            }),
          ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['config', feature] }),
  });
  const error = save.error instanceof ApiError ? save.error.message : save.error ? String(save.error) : undefined;
  const label = `${k.key} value`;
  const control = k.secret ? (
    <PasswordInput
      aria-label={label}
      placeholder={stored ? 'set — type a new value to replace it' : 'not set'}
      value={raw as string}
      onChange={(e) => setRaw(e.currentTarget.value)}
      error={error}
      disabled={!editable}
      autoComplete="off"
    />
  ) : k.type === 'bool' ? (
    <Switch aria-label={label} checked={raw as boolean} onChange={(e) => setRaw(e.currentTarget.checked)} error={error} disabled={!editable} />
  ) : k.type === 'string_array' ? (
    <TagsInput aria-label={label} value={raw as string[]} onChange={setRaw} error={error} disabled={!editable} placeholder="type and press Enter" />
  ) : (
    <TextInput
      aria-label={label}
      value={raw as string}
      onChange={(e) => setRaw(e.currentTarget.value)}
      error={error}
      disabled={!editable}
      inputMode={k.type === 'int' ? 'numeric' : undefined}
    />
  );
  return (
    <Table.Tr data-key={k.key}>
      <Table.Td>
        <Code>{k.key}</Code> {k.required ? <Badge size="xs">required</Badge> : null}{' '}
        {k.secret ? (
          <Badge size="xs" color="grape">
            secret
          </Badge>
        ) : null}
        <Text size="xs" c="dimmed">
          {k.type}
          {k.description ? ` — ${k.description}` : ''}
        </Text>
      </Table.Td>
      <Table.Td miw={280}>
        {control}
        {scope.kind === 'environment' && !stored && global ? (
          <Text size="xs" c="dimmed">
            global: {global.masked ? '*****' : JSON.stringify(global.value)}
          </Text>
        ) : null}
        {save.isSuccess && !save.isPending && !error ? (
          <Text size="xs" c="green">
            saved
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        {editable ? (
          <Group gap={4} wrap="nowrap">
            <Button size="xs" onClick={() => save.mutate(toValue(k.type, raw))} loading={save.isPending} disabled={k.secret && raw === ''}>
              Save
            </Button>
            {stored ? (
              <Button size="xs" variant="default" onClick={() => remove.mutate()} loading={remove.isPending}>
                {scope.kind === 'global' ? 'Delete' : 'Use global'}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

export function ConfigEditor({ feature, keys, scope, editable }: { feature: string; keys: Key[]; scope: Scope; editable: boolean }) {
  const global = useQuery({
    queryKey: ['config', feature, 'global'],
    queryFn: () => unwrap(api.GET('/api/v1/features/{feature}/config', { params: { path: { feature } } })),
  });
  const env = useQuery({
    queryKey: ['config', feature, scope.kind === 'environment' ? `${scope.tenant}/${scope.env}` : 'none'],
    enabled: scope.kind === 'environment',
    queryFn: () =>
      scope.kind === 'environment'
        ? unwrap(
            api.GET('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}/config', {
              params: { path: { tenant: scope.tenant, env: scope.env, feature } },
            }),
          )
        : Promise.resolve([]),
  });
  if (global.isPending || (scope.kind === 'environment' && env.isPending)) return <Text c="dimmed">loading…</Text>;
  const byKey = (list: Config[] | undefined) => new Map((list ?? []).map((c) => [c.key, c]));
  const g = byKey(global.data);
  const e = byKey(env.data);
  if (keys.length === 0) return <Text c="dimmed">Feature.yaml declares no configuration keys.</Text>;
  return (
    <Table aria-label={scope.kind === 'global' ? 'Global configuration' : 'Configuration in the environment'}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Key</Table.Th>
          <Table.Th>Value</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {keys.map((k) => (
          <Editor
            key={`${k.key}:${(scope.kind === 'global' ? g : e).get(k.key)?.updatedAt ?? ''}`}
            feature={feature}
            scope={scope}
            k={k}
            stored={(scope.kind === 'global' ? g : e).get(k.key)}
            global={g.get(k.key)}
            editable={editable}
          />
        ))}
      </Table.Tbody>
    </Table>
  );
}
