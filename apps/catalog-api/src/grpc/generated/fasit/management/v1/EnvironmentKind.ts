// Original file: ../../proto/fasit/management/v1/management.proto

export const EnvironmentKind = {
  ENVIRONMENT_KIND_UNSPECIFIED: 'ENVIRONMENT_KIND_UNSPECIFIED',
  MANAGEMENT: 'MANAGEMENT',
  TENANT: 'TENANT',
  ONPREM: 'ONPREM',
  LEGACY: 'LEGACY',
} as const;

export type EnvironmentKind =
  | 'ENVIRONMENT_KIND_UNSPECIFIED'
  | 0
  | 'MANAGEMENT'
  | 1
  | 'TENANT'
  | 2
  | 'ONPREM'
  | 3
  | 'LEGACY'
  | 4

export type EnvironmentKind__Output = typeof EnvironmentKind[keyof typeof EnvironmentKind]
