// A new assignment: feature, version (stored, or a registry tag fetched on demand), target labels as rows, and
// the preview before saving — the environments it reaches as you type, what each runs now, the value diff.
// Saving goes to the assignment's page, where its rollout is followed live.
import { ActionIcon, Alert, Badge, Button, Code, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { useAccess } from '../auth/access';
import { ErrorAlert, PageHeader } from '../components/common';

interface Row {
  key: string;
  value: string;
}

function Diff({ diff }: { diff: Schemas['Preview']['environments'][number]['valueDiff'] }) {
  if (diff === null)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  if (!diff.ok)
    return (
      <Text size="sm" c="red">
        {diff.action}: {diff.message}
      </Text>
    );
  if (diff.changes.length === 0)
    return (
      <Text size="sm" c="dimmed">
        no value changes
      </Text>
    );
  return (
    <Stack gap={2}>
      {diff.changes.map((c) => (
        <Text key={c.key} size="xs" ff="monospace">
          {c.change === 'added' ? '+' : c.change === 'removed' ? '−' : '~'} {c.key}
          {c.change !== 'added' ? ` ${JSON.stringify(c.before)}` : ''}
          {c.change === 'changed' ? ' →' : ''}
          {c.change !== 'removed' ? ` ${JSON.stringify(c.after)}` : ''}
        </Text>
      ))}
    </Stack>
  );
}

export function NewAssignmentPage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { mayAssign } = useAccess();
  const [feature, setFeature] = useState<string | null>(null);
  const [version, setVersion] = useState<string | null>(null);
  const [rows, setRows] = useState<Row[]>([{ key: 'tenant', value: '' }]);
  const [description, setDescription] = useState('');
  const features = useQuery({ queryKey: ['features'], queryFn: () => unwrap(api.GET('/api/v1/features')) });
  const versions = useQuery({
    queryKey: ['feature-versions', feature],
    enabled: feature !== null,
    queryFn: () => unwrap(api.GET('/api/v1/features/{name}/versions', { params: { path: { name: feature! } } })),
  });
  const target = Object.fromEntries(rows.filter((r) => r.key.trim() !== '').map((r) => [r.key.trim(), r.value.trim()]));
  const [debouncedTarget] = useDebouncedValue(target, 300);
  const stored = new Set((versions.data?.stored ?? []).map((v) => v.version));
  const versionOptions = [
    ...(versions.data?.stored ?? []).map((v) => ({ value: v.version, label: v.version })),
    ...(versions.data?.registry.notStored ?? []).map((v) => ({ value: v, label: `${v} (in the registry, not fetched yet)` })),
  ];
  const chart = versions.data?.registry.chart ?? versions.data?.stored[0]?.chart;
  const ingest = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/features', { body: { chart: chart!, version: version! } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['feature-versions', feature] }),
  });
  const previewable = feature !== null && version !== null && stored.has(version);
  const preview = useQuery({
    queryKey: ['preview', feature, version, debouncedTarget],
    enabled: previewable,
    queryFn: () => unwrap(api.POST('/api/v1/assignments/preview', { body: { feature: feature!, version: version!, target: debouncedTarget } })),
    placeholderData: (previous) => previous,
  });
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/assignments', { body: { feature: feature!, version: version!, target, ...(description ? { description } : {}) } })),
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: ['assignments'] });
      await navigate({ to: '/assignments/$id', params: { id: a.id } });
    },
  });
  const reached = preview.data?.environments.filter((e) => e.outcome === 'reach') ?? [];
  return (
    <Stack>
      <PageHeader title="New assignment" subtitle="Assign a feature version to every environment whose labels contain the target" />
      <Group grow align="flex-start">
        <Select
          label="Feature"
          searchable
          data={(features.data ?? []).map((f) => f.name)}
          value={feature}
          onChange={(f) => {
            setFeature(f);
            setVersion(null);
          }}
        />
        <Select
          label="Version"
          searchable
          data={versionOptions}
          value={version}
          onChange={setVersion}
          disabled={feature === null}
          nothingFoundMessage="no version"
        />
      </Group>
      {feature !== null && version !== null && !stored.has(version) ? (
        <Alert color="blue">
          {version} is in the registry but not fetched yet.{' '}
          <Button size="xs" ml="sm" onClick={() => ingest.mutate()} loading={ingest.isPending} disabled={!chart}>
            Fetch and validate it
          </Button>
          {ingest.error ? (
            <Text c="red" size="sm">
              {ingest.error.message}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      <Stack gap="xs">
        <Text fw={500} size="sm">
          Target labels
        </Text>
        {rows.map((r, i) => (
          <Group key={i} gap="xs">
            <TextInput
              aria-label={`label key ${i + 1}`}
              placeholder="key"
              value={r.key}
              onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, key: e.currentTarget.value } : x)))}
            />
            <Text>=</Text>
            <TextInput
              aria-label={`label value ${i + 1}`}
              placeholder="value"
              value={r.value}
              onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)))}
            />
            <ActionIcon variant="default" aria-label={`remove label ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button size="xs" variant="default" onClick={() => setRows([...rows, { key: '', value: '' }])}>
            Add label
          </Button>
        </Group>
      </Stack>
      <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} maw={600} />
      <Title order={4}>Preview</Title>
      {!previewable ? <Text c="dimmed">Choose a feature and a stored version to see what the assignment would do.</Text> : null}
      {preview.error ? <ErrorAlert error={preview.error} /> : null}
      {previewable && preview.data ? (
        <Stack gap="xs" data-testid="preview">
          <Text>
            Reaches <b data-testid="preview-reach-count">{reached.length}</b> of {preview.data.environments.length} matching environments
            {preview.data.replaces ? <>; replaces the active assignment of {preview.data.replaces.version} with the same target</> : null}.
          </Text>
          <Table aria-label="Preview" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Environment</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Runs now</Table.Th>
                <Table.Th>Value changes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.data.environments.map((e) => (
                <Table.Tr key={e.environmentId}>
                  <Table.Td>
                    {e.tenant}/{e.environment}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={e.outcome === 'reach' ? 'blue' : 'gray'} variant="light">
                      {e.outcome === 'reach' ? 'reached' : e.outcome === 'kept' ? 'a more specific one wins' : 'kind does not run it'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {e.currentVersion ?? (
                      <Text span c="dimmed">
                        nothing
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Diff diff={e.valueDiff} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ) : null}
      {save.error ? <ErrorAlert error={save.error} /> : null}
      <Group>
        <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!previewable || !mayAssign(target)}>
          Save assignment
        </Button>
        {!mayAssign(target) ? (
          <Text size="sm" c="dimmed">
            Your role may not assign to this target{target['tenant'] ? '' : ' (a target without a tenant needs a global operator)'}.
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          Target: <Code>{JSON.stringify(target)}</Code>
        </Text>
      </Group>
    </Stack>
  );
}
