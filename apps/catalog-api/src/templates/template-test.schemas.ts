// The template test's request (common/api-schema.ts); its answer is described in openapi/openapi.schemas.ts.
import { body, Type } from '../common/api-schema.js';

const name = Type.String({ minLength: 1, maxLength: 63 });

export const templateTestSchema = body({ tenant: name, environment: name, feature: Type.Optional(name), template: Type.String({ maxLength: 65_536 }) });
