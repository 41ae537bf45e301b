import { featureSchema } from '@fasit/feature-spec';
import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../cli-command.js';
import { parseOptions, writeExact } from './command-options.js';

/** `fasit schema`: prints the Feature.yaml JSON Schema this CLI validates with (shipped inside the package). */
export const schemaCommand: CliCommand = {
  group: 'schema',
  summary: 'Print the JSON Schema of Feature.yaml (draft 2020-12) that this CLI lints with.',
  usage: '',
  details: [
    '',
    'For editors: save it and point the YAML language server at it, e.g.',
    '  fasit schema > feature.schema.json',
    '  # yaml-language-server: $schema=./feature.schema.json   (first line of Feature.yaml)',
  ],
  run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseOptions(args, {});
    if (!parsed.ok || parsed.positional.length > 0) {
      io.stderr(`fasit schema: ${parsed.ok ? `unexpected argument "${parsed.positional[0]}"` : parsed.message}`);
      return Promise.resolve(EXIT_USAGE);
    }
    writeExact(io, `${JSON.stringify(featureSchema, null, 2)}\n`);
    return Promise.resolve(EXIT_OK);
  },
};
