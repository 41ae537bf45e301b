// Test corpora kept in this repository (copied from the team's shared material; see corpora/README.md), so that a
// plain clone runs every test.
import { fileURLToPath } from 'node:url';

/** 273 Go text/template + Sprig cases whose expected results the real Go implementation produced. */
export const GOTEMPLATE_CONFORMANCE_FILE = fileURLToPath(new URL('../corpora/gotemplate-conformance/public.json', import.meta.url));

/** 168 real `Feature.yaml` folders (`<chart>/Feature.yaml`, Chart.yaml, values.yaml) written for the original Fasit. */
export const REALWORLD_FEATURES_DIR = fileURLToPath(new URL('../corpora/realworld/features/', import.meta.url));
