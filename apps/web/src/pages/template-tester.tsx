// The template tester: pick an environment (and a feature for `.Configs`), write a template, and see what it
// renders to — or the error at its line and column — as you type. The data and the functions are listed beside.
import { Alert, Badge, Code, Grid, Group, ScrollArea, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, unwrap } from '../api/client';
import { ErrorAlert, PageHeader } from '../components/common';
import { useAllEnvironments } from './environments';

const EXAMPLE = '{{ .Env.name }}.{{ .Tenant.Name }}.example.com';

export function TemplateTesterPage() {
  const all = useAllEnvironments();
  const features = useQuery({ queryKey: ['features'], queryFn: () => unwrap(api.GET('/api/v1/features')) });
  const functions = useQuery({ queryKey: ['template-functions'], queryFn: () => unwrap(api.GET('/api/v1/templates/functions')), staleTime: Infinity });
  const [target, setTarget] = useState<string | null>(null);
  const [feature, setFeature] = useState<string | null>(null);
  const [template, setTemplate] = useState(EXAMPLE);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(template, 250);
  const envOptions = useMemo(
    () =>
      (all.environments ?? []).map((e) => ({ value: `${e.tenant}/${e.name}`, label: `${e.tenant}/${e.name}` })).sort((a, b) => a.label.localeCompare(b.label)),
    [all.environments],
  );
  const chosen = target ?? envOptions[0]?.value ?? null;
  const [tenant, environment] = chosen ? chosen.split('/') : [undefined, undefined];
  const result = useQuery({
    queryKey: ['template-test', tenant, environment, feature, debounced],
    enabled: tenant !== undefined && environment !== undefined,
    queryFn: () =>
      unwrap(
        api.POST('/api/v1/templates/test', { body: { tenant: tenant!, environment: environment!, template: debounced, ...(feature ? { feature } : {}) } }),
      ),
    placeholderData: (previous) => previous,
  });
  const r = result.data;
  const lines = debounced.split('\n');
  return (
    <Stack>
      <PageHeader
        title="Template tester"
        subtitle="A computed value's template, rendered with an environment's data as the reconciler would (secrets masked)"
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <Group grow>
              <Select label="Environment" searchable data={envOptions} value={chosen} onChange={setTarget} allowDeselect={false} />
              <Select
                label="Feature (for .Configs)"
                placeholder="none"
                clearable
                searchable
                data={(features.data ?? []).map((f) => f.name)}
                value={feature}
                onChange={setFeature}
              />
            </Group>
            <Textarea
              label="Template"
              autosize
              minRows={6}
              value={template}
              onChange={(e) => setTemplate(e.currentTarget.value)}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              spellCheck={false}
            />
            {result.error ? <ErrorAlert error={result.error} /> : null}
            {r && !r.ok ? (
              <Alert
                color="red"
                title={`${r.stage === 'parse' ? 'Parse error' : r.stage === 'execute' ? 'Execution error' : 'Data error'}${r.line !== null ? ` at line ${r.line}, column ${r.column}` : ''}`}
                data-testid="template-error"
                role="alert"
              >
                <Text size="sm" ff="monospace">
                  {r.message}
                </Text>
                {r.line !== null && r.column !== null && lines[r.line - 1] !== undefined ? (
                  <Code block mt="xs" data-testid="template-error-position">
                    {`${lines[r.line - 1]}\n${' '.repeat(Math.max(0, r.column - 1))}^`}
                  </Code>
                ) : null}
              </Alert>
            ) : null}
            {r && r.ok ? (
              <Stack gap={4}>
                <Title order={5}>Output</Title>
                <Code block data-testid="template-output">
                  {r.output || ' '}
                </Code>
                <Text size="sm">
                  As a computed value:{' '}
                  {r.yamlError ? (
                    <Text span c="red">
                      not YAML ({r.yamlError}): a render-error
                    </Text>
                  ) : (
                    <Code>{JSON.stringify(r.value)}</Code>
                  )}
                </Text>
              </Stack>
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="xs">
            <Title order={5}>Data</Title>
            <Text size="sm">
              <Code>.Env</Code>:{' '}
              {r
                ? r.data.envKeys.map((k) => (
                    <Badge key={k} variant="outline" color="gray" tt="none" mr={4}>
                      {k}
                    </Badge>
                  ))
                : '…'}
            </Text>
            <Text size="sm">
              <Code>.Envs</Code> (the tenant&apos;s environments), <Code>.Management</Code>, <Code>.Kind</Code>, <Code>.Tenant.Name</Code>, <Code>.Fasit</Code>
            </Text>
            <Text size="sm">
              <Code>.Configs</Code>:{' '}
              {r && r.data.configKeys.length > 0
                ? r.data.configKeys.map((k) => (
                    <Badge key={k} variant="outline" color="gray" tt="none" mr={4}>
                      {k}
                    </Badge>
                  ))
                : 'pick a feature'}
              {r?.data.featureVersion ? (
                <Text span size="xs" c="dimmed">
                  {' '}
                  ({feature} {r.data.featureVersion})
                </Text>
              ) : null}
            </Text>
            <Title order={5} mt="sm">
              Functions
            </Title>
            <TextInput placeholder="search functions" value={search} onChange={(e) => setSearch(e.currentTarget.value)} aria-label="Search functions" />
            <ScrollArea h={420}>
              <Table aria-label="Template functions">
                <Table.Tbody>
                  {(functions.data ?? [])
                    .filter((f) => `${f.name} ${f.description} ${f.group}`.toLowerCase().includes(search.toLowerCase()))
                    .slice(0, 200)
                    .map((f) => (
                      <Table.Tr key={`${f.origin}:${f.name}`}>
                        <Table.Td>
                          <Code>{f.signature}</Code>
                          <Text size="xs">{f.description}</Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
